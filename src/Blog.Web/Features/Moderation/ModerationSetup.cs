using System.Threading.RateLimiting;
using Blog.Web.Hosting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Blog.Web.Features.Moderation;

public static class ModerationSetup
{
    /// <summary>The rate-limit policy of decisions sent through mail links.</summary>
    public const string MailLinkDecisions = "mail-link-decisions";

    public static IServiceCollection AddBlogModeration(this IServiceCollection services)
    {
        services.AddOptions<ModerationOptions>().BindConfiguration(ModerationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ModerationQueries>();
        services.AddScoped<ModerationStore>();
        services.AddScoped<ModerationCommands>();
        services.AddSingleton<MailLinkStore>();
        services.AddSingleton<MailLinks>();
        services.AddScoped<MailLinkCommands>();
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ModerationOptions>, RateLimitCounters>((limiter, moderation, counters) =>
            limiter.AddPolicy(MailLinkDecisions, context => RateLimits.PerMinute(
                counters, MailLinkDecisions, RateLimits.Client(context), moderation.Value.MailLinkDecisionsPerMinute)));
        return services;
    }
}
