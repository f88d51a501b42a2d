namespace Blog.Web.Features.Seo;

public static class SeoSetup
{
    /// <summary>The sitemap (robots.txt needs nothing registered).</summary>
    public static IServiceCollection AddBlogSeo(this IServiceCollection services)
    {
        services.AddSingleton<SitemapQueries>();
        services.AddOptions<SitemapOptions>().BindConfiguration(SitemapOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
