namespace Blog.Web.Features.Search;

public static class SearchSetup
{
    public static IServiceCollection AddBlogSearch(this IServiceCollection services) =>
        services.AddSingleton<SearchQueries>();
}
