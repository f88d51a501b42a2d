namespace Blog.Web.Features.Settings;

public static class SettingsSetup
{
    public static IServiceCollection AddBlogSettings(this IServiceCollection services)
    {
        // One instance: it keeps the current settings in memory for every request.
        services.AddSingleton<SiteSettingsStore>();
        services.AddScoped<SettingsCommands>();
        return services;
    }
}
