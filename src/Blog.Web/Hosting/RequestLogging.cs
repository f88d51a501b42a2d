using System.Diagnostics;

namespace Blog.Web.Hosting;

/// <summary>
/// One log line per request: method, path, status and time. Deliberately without the query string, which
/// can carry email-confirmation and password-reset tokens; the host's own "Request starting" lines (which
/// include it) stay off in appsettings.json for that reason. The host's logging scope adds the RequestId.
/// </summary>
public static class RequestLogging
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
                logger.LogInformation("{Method} {Path} answered {StatusCode} in {ElapsedMs:0.0} ms",
                    context.Request.Method, context.Request.Path.Value, context.Response.StatusCode,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
    }
}
