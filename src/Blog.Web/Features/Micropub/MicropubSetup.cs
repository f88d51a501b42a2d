namespace Blog.Web.Features.Micropub;

public static class MicropubSetup
{
    /// <summary>Writing from other apps (Micropub), with the app tokens of <see cref="IndieAuth.IndieAuthSetup"/>.</summary>
    public static IServiceCollection AddBlogMicropub(this IServiceCollection services)
    {
        services.AddSingleton<MicropubStore>();
        services.AddSingleton<MicropubQueries>();
        services.AddSingleton<MicropubCommands>();
        return services;
    }
}
