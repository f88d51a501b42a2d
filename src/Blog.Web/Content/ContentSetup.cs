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
        services.AddSingleton<PostRenderer>();
        return services;
    }
}
