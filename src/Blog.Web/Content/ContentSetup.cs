using Blog.Web.Features.Media;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Blog.Web.Content;

public static class ContentSetup
{
    /// <summary>The Markdown pipeline and the post sanitizer: built once, shared by every request.</summary>
    public static IServiceCollection AddBlogContent(this IServiceCollection services)
    {
        services.AddOptions<ContentOptions>()
            .BindConfiguration(ContentOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<PostHtmlSanitizer>();
        // The renderer reads the pictures a body shows when it is saved; other media features may register it too.
        services.TryAddSingleton<MediaQueries>();
        services.AddSingleton<PostRenderer>();
        return services;
    }
}
