using Blog.Web.Features.Archive;
using Blog.Web.Features.Feeds;
using Blog.Web.Features.Labels;
using Blog.Web.Features.Search;
using Blog.Web.Features.Seo;

namespace Blog.Web.Features.Posts;

public static class ReadingServiceCollectionExtensions
{
    /// <summary>The reader's side of the blog: posts, pages, labels, archive, search, feeds, sitemap.</summary>
    public static IServiceCollection AddBlogReading(this IServiceCollection services)
    {
        services.AddSingleton<PostQueries>();
        services.AddSingleton<PostLists>();
        services.AddSingleton<LabelQueries>();
        services.AddSingleton<SidebarCounts>();
        services.AddSingleton<SearchQueries>();
        services.AddSingleton<FeedQueries>();
        services.AddSingleton<SitemapQueries>();
        services.AddOptions<SitemapOptions>().BindConfiguration(SitemapOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
