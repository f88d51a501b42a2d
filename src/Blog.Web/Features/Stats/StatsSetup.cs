namespace Blog.Web.Features.Stats;

public static class StatsSetup
{
    public static IServiceCollection AddBlogStats(this IServiceCollection services)
    {
        services.AddSingleton<ViewCounter>();
        services.AddSingleton<StatsStore>();
        services.AddSingleton<StatsQueries>();
        services.AddSingleton<StatsWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<StatsWriter>());
        return services;
    }

    /// <summary>
    /// After routing (the counter reads which page answers) and before the reader cache, so that pages served from
    /// the cache are counted as well as rendered ones.
    /// </summary>
    public static IApplicationBuilder UseBlogStats(this IApplicationBuilder app) => app.UseMiddleware<ViewCounting>();
}
