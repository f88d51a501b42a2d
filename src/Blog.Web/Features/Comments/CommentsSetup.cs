using Blog.Web.Content;

namespace Blog.Web.Features.Comments;

public static class CommentsSetup
{
    public static IServiceCollection AddBlogComments(this IServiceCollection services)
    {
        services.AddOptions<CommentOptions>().BindConfiguration(CommentOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // Configured once; HtmlSanitizer and Markdig pipelines are safe to share between requests.
        services.AddSingleton<CommentRenderer>();
        services.AddSingleton<CommentStore>();
        services.AddScoped<CommentNotifier>();
        services.AddScoped<CommentCommands>();
        services.AddScoped<CommentSectionQueries>();
        services.AddScoped<CommentFeedQueries>();
        return services;
    }
}
