using System.Globalization;
using Blog.Web.Data;
using Blog.Web.Hosting;
using Dapper;
using Microsoft.Extensions.Options;

namespace Blog.Web.Features.Settings;

/// <summary>
/// Reads and writes <see cref="SiteSettings"/>. Every page needs them, so the current value is kept in memory
/// and replaced whenever they are saved through this store (the only writer), here or, where several instances
/// serve the blog, in another instance (then the changes' version has moved, and they are read again).
/// </summary>
public sealed class SiteSettingsStore(BlogDatabase db, IOptions<BlogOptions> options, TimeProvider clock, CrossInstanceChanges changes)
{
    private volatile Cached? _current;

    public async Task<SiteSettings> GetAsync(CancellationToken cancellationToken = default)
    {
        var version = await changes.VersionAsync(CrossInstanceChanges.Settings, cancellationToken);
        if (_current is { } cached && cached.Version == version)
        {
            return cached.Settings;
        }
        await using var connection = await db.OpenAsync(cancellationToken);
        var stored = (await connection.QueryAsync<(string Key, string Value)>(
                new CommandDefinition("SELECT key, value FROM site_settings;", cancellationToken: cancellationToken)))
            .ToDictionary(row => row.Key, row => row.Value, StringComparer.Ordinal);
        var settings = Merge(options.Value.Defaults, stored);
        _current = new Cached(version, settings);
        return settings;
    }

    public async Task SaveAsync(SiteSettings settings, CancellationToken cancellationToken = default)
    {
        const string sql = """
            INSERT INTO site_settings (key, value, updated_at) VALUES (@Key, @Value, @UpdatedAt)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;
            """;
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = ToRows(settings).Select(row => new { row.Key, row.Value, UpdatedAt = now });

        await using var write = await db.BeginWriteAsync(cancellationToken);
        await write.Connection.ExecuteAsync(new CommandDefinition(sql, rows, write.Transaction, cancellationToken: cancellationToken));
        await write.CommitAsync(cancellationToken);
        await changes.ChangedAsync(CrossInstanceChanges.Settings);
        _current = new Cached(await changes.VersionAsync(CrossInstanceChanges.Settings, cancellationToken), settings);
    }

    /// <summary>The settings as read when the changes' version was <see cref="Version"/>.</summary>
    private sealed record Cached(long Version, SiteSettings Settings);

    private static SiteSettings Merge(SiteDefaults defaults, Dictionary<string, string> stored) => new()
    {
        Title = stored.GetValueOrDefault(nameof(SiteSettings.Title), defaults.Title),
        Description = stored.GetValueOrDefault(nameof(SiteSettings.Description), defaults.Description),
        PostsPerPage = stored.TryGetValue(nameof(SiteSettings.PostsPerPage), out var perPage)
            && int.TryParse(perPage, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
                ? parsed
                : defaults.PostsPerPage,
        TimeZone = stored.GetValueOrDefault(nameof(SiteSettings.TimeZone), defaults.TimeZone),
        DateFormat = stored.GetValueOrDefault(nameof(SiteSettings.DateFormat), defaults.DateFormat),
        MembershipMode = stored.TryGetValue(nameof(SiteSettings.MembershipMode), out var mode)
            && Enum.TryParse<MembershipMode>(mode, out var parsedMode) && Enum.IsDefined(parsedMode)
                ? parsedMode
                : defaults.MembershipMode,
        Comments = CommentSettings.Merge(defaults.Comments, stored),
    };

    private static IEnumerable<(string Key, string Value)> ToRows(SiteSettings settings) =>
    [
        .. settings.Comments.ToRows(),
        (nameof(SiteSettings.Title), settings.Title),
        (nameof(SiteSettings.Description), settings.Description),
        (nameof(SiteSettings.PostsPerPage), settings.PostsPerPage.ToString(CultureInfo.InvariantCulture)),
        (nameof(SiteSettings.TimeZone), settings.TimeZone),
        (nameof(SiteSettings.DateFormat), settings.DateFormat),
        (nameof(SiteSettings.MembershipMode), settings.MembershipMode.ToString()),
    ];
}
