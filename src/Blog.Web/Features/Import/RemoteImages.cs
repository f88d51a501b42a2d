using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Blog.Web.Features.Media;
using Microsoft.Extensions.Options;

namespace Blog.Web.Features.Import;

/// <summary>
/// Fetches a picture an imported post still shows from the old blog's hosts, when the owner asked for that. The
/// address comes from an export anyone could have written, so the fetch must never reach this machine or its
/// network: https only; the name is resolved here and every address it gives must be public; the connection goes
/// to the address that was checked (a second DNS answer cannot switch it); redirects are followed by hand, each
/// checked the same way; the body stops at the library's size limit; the whole fetch has a time limit.
/// </summary>
public sealed class RemoteImages : IDisposable
{
    public const int MaxRedirects = 3;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _client;
    private readonly long _maxBytes;

    public RemoteImages(IOptions<MediaOptions> media)
    {
        _maxBytes = media.Value.MaxFileBytes;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectCallback = ConnectToPublicAddressAsync,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
        _client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Quire-import", "1.0"));
    }

    public void Dispose() => _client.Dispose();

    /// <summary>The picture's bytes, or why it was not fetched (in words for the import's report).</summary>
    public async Task<RemoteImageFetch> FetchAsync(string address, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            var current = address;
            for (var redirects = 0; ; redirects++)
            {
                if (Refusal(current) is { } refused)
                {
                    return RemoteImageFetch.Refused(refused);
                }
                using var response = await _client.GetAsync(current, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if (IsRedirect(response.StatusCode))
                {
                    if (redirects == MaxRedirects || response.Headers.Location is not { } location)
                    {
                        return RemoteImageFetch.Refused("it redirects too often, or nowhere");
                    }
                    current = new Uri(new Uri(current), location).AbsoluteUri;
                    continue;
                }
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return RemoteImageFetch.Refused($"the host answered {(int)response.StatusCode}");
                }
                if (response.Content.Headers.ContentLength > _maxBytes)
                {
                    return RemoteImageFetch.Refused("it is larger than the library accepts");
                }
                return await ReadLimitedAsync(response, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return RemoteImageFetch.Refused($"no answer within {Timeout.TotalSeconds:0} seconds");
        }
        catch (HttpRequestException ex)
        {
            return RemoteImageFetch.Refused(ex.InnerException is RemoteAddressRefusedException refused ? refused.Message : "the host could not be reached");
        }
    }

    /// <summary>Why an address is not fetched at all, before any name is resolved; null when it may be.</summary>
    public static string? Refusal(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            return "only https addresses are fetched";
        }
        if (uri.UserInfo.Length > 0)
        {
            return "the address carries a user name";
        }
        return uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && !IsPublic(IPAddress.Parse(uri.IdnHost.Trim('[', ']')))
            ? "it points at a private or local address"
            : null;
    }

    /// <summary>
    /// True for an address on the public internet: not loopback, private, shared (CGNAT), link-local, multicast,
    /// documentation, benchmarking or reserved space, in IPv4 or IPv6 (an IPv4 address inside IPv6 is judged as IPv4).
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !(b[0] is 0 or 10 or 127 or >= 224
                || b[0] == 100 && (b[1] & 0xC0) == 64
                || b[0] == 169 && b[1] == 254
                || b[0] == 172 && (b[1] & 0xF0) == 16
                || b[0] == 192 && b[1] == 0 && b[2] is 0 or 2
                || b[0] == 192 && b[1] == 88 && b[2] == 99
                || b[0] == 192 && b[1] == 168
                || b[0] == 198 && (b[1] & 0xFE) == 18
                || b[0] == 198 && b[1] == 51 && b[2] == 100
                || b[0] == 203 && b[1] == 0 && b[2] == 113);
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }
        // Only global unicast (2000::/3) is public; within it, the IETF protocol block (Teredo among it),
        // documentation and 6to4 (which embeds any IPv4 address, private ones too) are not.
        return (b[0] & 0xE0) == 0x20
            && !(b[0] == 0x20 && b[1] == 0x01 && b[2] < 0x02)
            && !(b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)
            && !(b[0] == 0x20 && b[1] == 0x02);
    }

    private static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    private async Task<RemoteImageFetch> ReadLimitedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var copy = new MemoryStream();
        var buffer = new byte[81_920];
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            if (copy.Length + read > _maxBytes)
            {
                await copy.DisposeAsync();
                return RemoteImageFetch.Refused("it is larger than the library accepts");
            }
            copy.Write(buffer, 0, read);
        }
        copy.Position = 0;
        return new RemoteImageFetch { Content = copy };
    }

    /// <summary>Resolves the name, refuses if any of its addresses is not public, and connects to a checked one.</summary>
    private static async ValueTask<Stream> ConnectToPublicAddressAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        if (addresses.Length == 0 || addresses.Any(address => !IsPublic(address)))
        {
            throw new RemoteAddressRefusedException($"{host} resolves to a private or local address");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(addresses[0], context.DnsEndPoint.Port), ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed class RemoteAddressRefusedException(string message) : Exception(message);
}

/// <summary>A fetched picture (the caller disposes <see cref="Content"/>), or the reason there is none.</summary>
public sealed record RemoteImageFetch
{
    public Stream? Content { get; init; }

    public string? Refusal { get; init; }

    public static RemoteImageFetch Refused(string reason) => new() { Refusal = reason };
}
