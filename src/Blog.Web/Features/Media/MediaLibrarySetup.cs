namespace Blog.Web.Features.Media;

/// <summary>The picture library's services: its SQL, its rules and its pages (the files themselves are MediaSetup's).</summary>
public static class MediaLibrarySetup
{
    public static IServiceCollection AddBlogMediaLibrary(this IServiceCollection services) =>
        services
            .AddSingleton<MediaStore>()
            .AddSingleton<MediaCommands>()
            .AddSingleton<MediaLibraryQueries>();
}
