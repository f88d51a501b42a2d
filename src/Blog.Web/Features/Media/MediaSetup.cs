namespace Blog.Web.Features.Media;

public static class MediaSetup
{
    public static IServiceCollection AddBlogMedia(this IServiceCollection services)
    {
        services.AddOptions<MediaOptions>().BindConfiguration(MediaOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MediaFiles>();
        services.AddSingleton<MediaMemoryCache>();
        // A singleton: its gate lets one picture be decoded at a time across the whole app.
        services.AddSingleton<MediaImageProcessor>();
        // The library: its SQL, its rules and its pages; MediaQueries is what the post renderer reads at save time.
        services.AddSingleton<MediaStore>();
        services.AddSingleton<MediaCommands>();
        services.AddSingleton<MediaLibraryQueries>();
        services.AddSingleton<MediaQueries>();
        return services;
    }
}
