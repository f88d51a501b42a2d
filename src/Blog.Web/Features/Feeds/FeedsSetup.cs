namespace Blog.Web.Features.Feeds;

public static class FeedsSetup
{
    public static IServiceCollection AddBlogFeeds(this IServiceCollection services) =>
        services.AddSingleton<FeedQueries>();
}
