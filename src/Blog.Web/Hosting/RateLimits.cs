using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Blog.Web.Identity;
using Microsoft.AspNetCore.RateLimiting;

namespace Blog.Web.Hosting;

/// <summary>
/// Per-address limits on the forms that attackers hammer (sign-in, register, forgot password). Over the
/// limit, the request gets a 429 with the friendly "too many attempts" page.
/// </summary>
/// <remarks>
/// Reader pages (<see cref="ReaderPageAttribute"/>) that are not in the reader cache are limited too: each is a
/// render, and one client asking for page after page that nobody else reads (deep lists, searches, made-up
/// addresses) would otherwise take the two cores from every other reader. The limiter runs after the cache, so a
/// cached page is never limited, however often it is asked for.
/// </remarks>
public static class RateLimits
{
    public const string SignIn = "sign-in";
    public const string Register = "register";
    public const string ForgotPassword = "forgot-password";

    /// <summary>Apps exchanging codes and checking or revoking tokens (IndieAuth): each try at a code costs a write.</summary>
    public const string AppTokens = "app-tokens";

    private const string NoLimit = "-";

    public static IServiceCollection AddBlogRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(RateLimitCounters.InProcess);
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<Microsoft.Extensions.Options.IOptions<RateLimitOptions>, RateLimitCounters>((limiter, configured, counters) =>
        {
            var limits = configured.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            AddPerAddress(limiter, counters, SignIn, limits.SignInPerMinute);
            AddPerAddress(limiter, counters, Register, limits.RegisterPerMinute);
            AddPerAddress(limiter, counters, ForgotPassword, limits.ForgotPasswordPerMinute);
            AddPerAddress(limiter, counters, AppTokens, limits.AppTokensPerMinute);
            limiter.GlobalLimiter = RenderedReaderPages(limits.ReaderPagesPerMinute, counters);
            limiter.OnRejected = AnswerRefusedReaderPageAsync;
        });
        return services;
    }

    private static void AddPerAddress(RateLimiterOptions limiter, RateLimitCounters counters, string policy, int permitsPerMinute) =>
        limiter.AddPolicy(policy, context => PerMinute(counters, policy, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", permitsPerMinute));

    /// <summary>At most <paramref name="permitsPerMinute"/> requests a minute for each <paramref name="client"/> of <paramref name="policy"/>.</summary>
    public static RateLimitPartition<string> PerMinute(RateLimitCounters counters, string policy, string client, int permitsPerMinute) =>
        RateLimitPartition.Get(client, _ => counters.FixedWindow($"{policy}:{client}", new FixedWindowRateLimiterOptions
        {
            PermitLimit = permitsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>
    /// A token bucket per client for reader pages that reached the limiter: a steady <paramref name="perMinute"/>,
    /// with ten seconds' worth in reserve for a burst (a crawler that just read the sitemap, say). A client over
    /// its share waits for its turn, up to about a second's worth of pages, rather than being refused at once: a
    /// page asked for a little too soon still comes, and a client that keeps asking on a few connections finds
    /// them waiting instead of answered as fast as it can send. Other endpoints have their own policies, or none.
    /// </summary>
    internal static PartitionedRateLimiter<HttpContext> RenderedReaderPages(int perMinute, RateLimitCounters? counters = null) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
            context.GetEndpoint()?.Metadata.GetMetadata<ReaderPageAttribute>() is null
                ? RateLimitPartition.GetNoLimiter(NoLimit)
                : RateLimitPartition.Get(Client(context), client => (counters ?? RateLimitCounters.InProcess).TokenBucket("reader-pages:" + client, new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, perMinute / 6),
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
                    QueueLimit = perMinute / 60,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    AutoReplenishment = true,
                })));

    /// <summary>
    /// Whose share a request counts against: a signed-in account's own (so people behind one address, or a proxy
    /// nobody told the blog about, do not share one), else the address's. An IPv6 client usually holds a whole /64,
    /// so those count as one address.
    /// </summary>
    internal static string Client(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true && context.User.Id() is { } memberId)
        {
            return "member:" + memberId;
        }
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "address:unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            address = new IPAddress(bytes);
        }
        return "address:" + address;
    }

    /// <summary>
    /// A refused reader page gets a short plain answer rather than the friendly error page, which is itself a
    /// render: refusing must cost less than answering. Refused forms keep the friendly page (status-code pages).
    /// </summary>
    private static async ValueTask AnswerRefusedReaderPageAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var http = rejected.HttpContext;
        if (http.GetEndpoint()?.Metadata.GetMetadata<ReaderPageAttribute>() is null)
        {
            return;
        }
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync("Too many pages asked for from your address at once. Please wait a moment and try again.\n", ct);
    }
}

/// <summary>The <c>Blog:RateLimits</c> section: attempts per minute from one address.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Blog:RateLimits";

    public int SignInPerMinute { get; set; } = 10;

    public int RegisterPerMinute { get; set; } = 5;

    public int ForgotPasswordPerMinute { get; set; } = 5;

    public int AppTokensPerMinute { get; set; } = 30;

    /// <summary>
    /// Reader pages one client may have rendered per minute (pages served from the reader cache do not count); a
    /// signed-in person counts on their own, everyone else by address.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000_000)]
    public int ReaderPagesPerMinute { get; set; } = 600;
}
