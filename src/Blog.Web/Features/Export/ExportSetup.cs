namespace Blog.Web.Features.Export;

public static class ExportSetup
{
    public static IServiceCollection AddBlogExport(this IServiceCollection services) =>
        services
            .AddSingleton<ExportQueries>()
            .AddSingleton<BloggerExport>()
            .AddSingleton<WordPressExport>()
            .AddSingleton<BlogExporter>();
}
