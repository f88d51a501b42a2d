using System.Diagnostics;

namespace Blog.Web.Hosting;

/// <summary>
/// One log line per request: method, path, status, time and request id. Deliberately without the query string,
/// which carries the tokens of confirmation, reset, unsubscribe and setup links, and with the secret of a path that
/// carries one (an invitation link) replaced (<see cref="Redact"/>). The host's own request logging (its "Request
/// starting" lines, which include the query, and its per-request scope) is off in appsettings.json
/// (<c>Microsoft.AspNetCore.Hosting.Diagnostics: None</c>): with any level on, the host starts an Activity and a
/// logging scope for every request, which cost cached pages about a tenth of their throughput. The blog opens its
/// own scope (request id and path) where logging happens, after the reader cache (<see cref="UseRequestLogScope"/>).
/// </summary>
/// <remarks>
/// The request line runs on every request, cached page hits included, so it is kept cheap: a source-generated log
/// method (no boxing, no template parsing per call), nothing at all when the level is off, and the console logger
/// drops lines rather than make requests wait when its output cannot keep up (see <see cref="AddBlogLogging"/>).
/// </remarks>
public static partial class RequestLogging
{
    public const string Category = "Quire.Requests";

    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        return app.Use((context, next) =>
            // Off (the usual production setting): no timing and no async wrapper around the rest of the pipeline.
            logger.IsEnabled(LogLevel.Information) ? TimeAndLogAsync(logger, context, next) : next(context));
    }

    private static async Task TimeAndLogAsync(ILogger logger, HttpContext context, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            Answered(logger, context.Request.Method, Redact(context.Request.Path.Value), context.Response.StatusCode,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds, context.TraceIdentifier);
        }
    }

    /// <summary>
    /// Gives every log line written while a request is handled its request id and path, so a warning or an error
    /// can be matched with its request line. Placed after the reader cache: a page served from the cache logs
    /// nothing else, and is spared the scope.
    /// </summary>
    public static IApplicationBuilder UseRequestLogScope(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        return app.Use(async (context, next) =>
        {
            using var scope = logger.BeginScope(new RequestScope(context.TraceIdentifier, Redact(context.Request.Path.Value)));
            await next(context);
        });
    }

    /// <summary>What a path's secret is logged as.</summary>
    public const string Redacted = "[redacted]";

    /// <summary>
    /// Paths whose next segment is a secret: an invitation link (<c>/invitations/{token}</c>, <c>…/accept</c>) lets
    /// whoever holds it join the blog. Routes match without regard to case, so these do too.
    /// </summary>
    private static readonly string[] SecretSegmentAfter = ["/invitations/"];

    /// <summary>
    /// <paramref name="path"/> as the logs may show it, with a secret segment replaced by <see cref="Redacted"/>. Every
    /// log line that names a request's path goes through here. It allocates only for a path that carries a secret.
    /// </summary>
    public static string Redact(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }
        foreach (var prefix in SecretSegmentAfter)
        {
            if (path.Length > prefix.Length && path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                var end = path.IndexOf('/', prefix.Length);
                return string.Concat(path.AsSpan(0, prefix.Length), Redacted, end < 0 ? ReadOnlySpan<char>.Empty : path.AsSpan(end));
            }
        }
        return path;
    }

    /// <summary>A scope whose values (RequestId, RequestPath) structured loggers see and whose text consoles print.</summary>
    private sealed class RequestScope(string requestId, string path) : IReadOnlyList<KeyValuePair<string, object>>
    {
        public int Count => 2;

        public KeyValuePair<string, object> this[int index] => index switch
        {
            0 => new("RequestId", requestId),
            1 => new("RequestPath", path),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
        {
            yield return this[0];
            yield return this[1];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"RequestPath:{path} RequestId:{requestId}";
    }

    /// <summary>
    /// A busy blog writes thousands of request lines a second; when the console (a pipe to journald, a slow
    /// terminal) cannot take them, the console logger's default is to block the request that logs. Dropping the
    /// excess lines instead keeps pages fast; the logger notes how many it dropped.
    /// </summary>
    public static ILoggingBuilder AddBlogLogging(this ILoggingBuilder logging)
    {
        logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(options =>
            options.QueueFullMode = Microsoft.Extensions.Logging.Console.ConsoleLoggerQueueFullMode.DropWrite);
        return logging;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path} answered {StatusCode} in {ElapsedMs:0.0} ms (RequestId:{RequestId})")]
    private static partial void Answered(ILogger logger, string method, string path, int statusCode, double elapsedMs, string requestId);
}
