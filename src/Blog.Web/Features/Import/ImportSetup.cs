namespace Blog.Web.Features.Import;

public static class ImportSetup
{
    /// <summary>The import engine: the runner the <c>import</c> command and the owner's import page share.</summary>
    public static IServiceCollection AddBlogImport(this IServiceCollection services)
    {
        services.AddSingleton<ImportStore>();
        services.AddSingleton<RemoteImages>();
        services.AddSingleton<ImportedHtml>();
        services.AddSingleton<ImportSourceOpener>(request => Sources.ImportSources.Open(request.FilePath, request.FileName, request.UploadsFolder));
        services.AddSingleton<ImportRunner>();
        services.AddSingleton<IImportRunner>(provider => provider.GetRequiredService<ImportRunner>());
        return services;
    }
}
