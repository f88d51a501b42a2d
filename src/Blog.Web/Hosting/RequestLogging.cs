using System.Diagnostics;

namespace Blog.Web.Hosting;

/// <summary>
/// One log line per request: method, path, status and time. Deliberately without the query string, which
/// can carry email-confirmation and password-reset tokens; the host's own "Request starting" lines (which
/// include it) stay off in appsettings.json for that reason. The host's logging scope adds the RequestId.
/// </summary>
/// <remarks>
/// It runs on every request, cached page hits included, so it is kept cheap: a source-generated log method (no
/// boxing, no template parsing per call), nothing at all when the level is off, and the console logger drops
/// lines rather than make requests wait when its output cannot keep up (see <see cref="AddBlogLogging"/>).
/// </remarks>
public static partial class RequestLogging
{
    public const string Category = "Quire.Requests";

    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        return app.Use(async (context, next) =>
        {
            if (!logger.IsEnabled(LogLevel.Information))
            {
                await next(context);
                return;
            }
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                Answered(logger, context.Request.Method, context.Request.Path.Value, context.Response.StatusCode,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
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

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path} answered {StatusCode} in {ElapsedMs:0.0} ms")]
    private static partial void Answered(ILogger logger, string method, string? path, int statusCode, double elapsedMs);
}
