namespace Blog.Web.Features.Import;

public static class ImportSetup
{
    /// <summary>The import engine: the runner the <c>import</c> command and the owner's import page share.</summary>
    public static IServiceCollection AddBlogImport(this IServiceCollection services)
    {
        services.AddSingleton<ImportStore>();
        services.AddSingleton<RemoteImages>();
        services.AddSingleton<ImportedHtml>();
        return services;
    }
}
