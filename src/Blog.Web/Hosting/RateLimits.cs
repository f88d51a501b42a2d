using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Blog.Web.Hosting;

/// <summary>
/// Per-address limits on the forms that attackers hammer (sign-in, register, forgot password). Over the
/// limit, the request gets a 429 with the friendly "too many attempts" page.
/// </summary>
public static class RateLimits
{
    public const string SignIn = "sign-in";
    public const string Register = "register";
    public const string ForgotPassword = "forgot-password";

    public static IServiceCollection AddBlogRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName);
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<Microsoft.Extensions.Options.IOptions<RateLimitOptions>>((limiter, configured) =>
        {
            var limits = configured.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            AddPerAddress(limiter, SignIn, limits.SignInPerMinute);
            AddPerAddress(limiter, Register, limits.RegisterPerMinute);
            AddPerAddress(limiter, ForgotPassword, limits.ForgotPasswordPerMinute);
        });
        return services;
    }

    private static void AddPerAddress(RateLimiterOptions limiter, string policy, int permitsPerMinute) =>
        limiter.AddPolicy(policy, context => RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permitsPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
}

/// <summary>The <c>Blog:RateLimits</c> section: attempts per minute from one address.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Blog:RateLimits";

    public int SignInPerMinute { get; set; } = 10;

    public int RegisterPerMinute { get; set; } = 5;

    public int ForgotPasswordPerMinute { get; set; } = 5;
}
