namespace Blog.Web.Features.Moderation;

public static class ModerationSetup
{
    public static IServiceCollection AddBlogModeration(this IServiceCollection services)
    {
        services.AddScoped<ModerationQueries>();
        services.AddScoped<ModerationStore>();
        services.AddScoped<ModerationCommands>();
        return services;
    }
}
