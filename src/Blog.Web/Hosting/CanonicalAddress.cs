using Blog.Web.Data;
using Dapper;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Blog.Web.Hosting;

/// <summary>
/// The blog's one public address (e.g. <c>https://blog.example.com</c>), the origin of every absolute link the blog
/// writes: mail, feeds, the sitemap, canonical and Open Graph addresses. It is never taken from a request's Host or
/// forwarded headers, which any client can forge to have the blog mail someone a link to another site.
/// </summary>
/// <remarks>
/// <c>Blog:BaseUrl</c> wins when configured. Otherwise it is the address the owner used to open the one-time setup
/// link (which came from the log, so whoever used it is the owner), kept in <c>site_settings</c> and editable in the
/// owner's settings. Until one is known (a fresh blog, or an owner created from the command line without an address)
/// links use the address the server listens on: possibly unreachable from elsewhere, but never a visitor's choice.
/// </remarks>
public sealed class CanonicalAddress(IOptions<BlogOptions> options, BlogDatabase db, TimeProvider clock, IServer server, CrossInstanceChanges changes)
{
    /// <summary>Its key in <c>site_settings</c>; the settings store leaves it alone.</summary>
    public const string SettingKey = "BaseUrl";

    public const int MaxLength = 200;

    private const string Example = "https://blog.example.com";

    public const string InvalidConfiguration =
        $"Blog:BaseUrl must be the blog's public address, an absolute http or https URL without a path, query or fragment, e.g. {Example}.";

    private volatile string? _recorded;
    private volatile string? _listening;
    private ConfigurationReloadToken _changeToken = new();

    /// <summary><c>Blog:BaseUrl</c> in its normal form (options validation refuses any other), or null when not configured.</summary>
    public string? Configured { get; } = Normalize(options.Value.BaseUrl);

    /// <summary>The address recorded at setup or set in the settings, or null.</summary>
    public string? Recorded => _recorded;

    /// <summary>The blog's address when it knows one; null on a fresh blog. Host filtering follows it.</summary>
    public string? Known => Configured ?? _recorded;

    /// <summary>Scheme, host and port without a trailing slash, e.g. <c>https://blog.example.com</c>.</summary>
    public string Base => Known ?? _listening ?? ListeningAddress();

    /// <summary>An absolute URL on the blog for <paramref name="pathAndQuery"/>, which starts with a slash.</summary>
    public string Absolute(string pathAndQuery) => Base + pathAndQuery;

    /// <summary>Fires when the known address changes (see <see cref="CanonicalHostFiltering"/>).</summary>
    public IChangeToken GetChangeToken() => _changeToken;

    /// <summary>Reads the recorded address; once at startup, after the migrations.</summary>
    public async Task LoadAsync(CancellationToken ct)
    {
        const string sql = "SELECT value FROM site_settings WHERE key = @Key;";
        await using var connection = await db.OpenAsync(ct);
        var stored = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(sql, new { Key = SettingKey }, cancellationToken: ct));
        _recorded = stored is null ? null : Normalize(stored);
        Changed();
    }

    /// <summary>Stores <paramref name="address"/> (already normalized by <see cref="TryParse"/>) as the blog's address.</summary>
    public async Task RecordAsync(string address, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO site_settings (key, value, updated_at) VALUES (@Key, @Value, @UpdatedAt)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;
            """;
        await using (var write = await db.BeginWriteAsync(ct))
        {
            await write.Connection.ExecuteAsync(new CommandDefinition(sql,
                new { Key = SettingKey, Value = address, UpdatedAt = clock.GetUtcNow().UtcDateTime }, write.Transaction, cancellationToken: ct));
            await write.CommitAsync(ct);
        }
        _recorded = address;
        Changed();
        // Other instances read it again (see CanonicalHostFiltering.LoadCanonicalAddressAsync).
        await changes.ChangedAsync(CrossInstanceChanges.Address);
    }

    /// <summary>
    /// Reads what an owner typed (or a configuration value) as the blog's address: an absolute http or https URL with
    /// no user name, path, query or fragment. Quire serves from the root of its address, so a path base is refused
    /// rather than half supported. The normal form has a lower-case scheme and host, no default port, no trailing slash.
    /// </summary>
    public static bool TryParse(string? text, out string address, out string problem)
    {
        address = "";
        problem = "";
        text = text?.Trim() ?? "";
        if (text.Length > MaxLength)
        {
            problem = $"Keep the address to {MaxLength} characters or fewer.";
            return false;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.Host.Length == 0 || !text.Contains("://", StringComparison.Ordinal))
        {
            problem = $"Enter the full address, starting with https:// or http://, e.g. {Example}.";
            return false;
        }
        if (uri.UserInfo.Length > 0)
        {
            problem = "Leave out the user name and password: readers open the address as it is.";
            return false;
        }
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || text.Contains('?', StringComparison.Ordinal) || text.Contains('#', StringComparison.Ordinal))
        {
            problem = "Leave out the part from ? or # on: the blog's address is only its scheme, host and port.";
            return false;
        }
        if (uri.AbsolutePath != "/")
        {
            problem = $"Quire is served from the root of its address: leave out the path ({uri.AbsolutePath.TrimEnd('/')}).";
            return false;
        }
        address = uri.GetLeftPart(UriPartial.Authority);
        return true;
    }

    /// <summary>For <c>Blog:BaseUrl</c>'s validation: empty (not configured) or a valid address.</summary>
    public static bool IsValidConfiguration(string? text) => string.IsNullOrWhiteSpace(text) || TryParse(text, out _, out _);

    private static string? Normalize(string? text) => !string.IsNullOrWhiteSpace(text) && TryParse(text, out var address, out _) ? address : null;

    /// <summary>
    /// The address the server listens on, as a browser would open it (wildcards become localhost), preferring https;
    /// http://localhost before the server has started (and in commands, which never start it).
    /// </summary>
    private string ListeningAddress()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null || addresses.Count == 0)
        {
            return "http://localhost";
        }
        var chosen = addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) ?? addresses.First();
        foreach (var wildcard in (string[])["://[::]", "://0.0.0.0", "://+", "://*"])
        {
            chosen = chosen.Replace(wildcard, "://localhost", StringComparison.Ordinal);
        }
        chosen = chosen.TrimEnd('/');
        // Port 0 means "any free port", known only once the server has bound it: asked before that (a background
        // service starting), the answer must not stick, or every link would point at port 0.
        return Uri.TryCreate(chosen, UriKind.Absolute, out var uri) && uri.Port == 0 ? chosen : _listening = chosen;
    }

    private void Changed() => Interlocked.Exchange(ref _changeToken, new ConfigurationReloadToken()).OnReload();
}
