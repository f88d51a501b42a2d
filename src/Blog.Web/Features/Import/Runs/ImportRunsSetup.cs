namespace Blog.Web.Features.Import.Runs;

public static class ImportRunsSetup
{
    /// <summary>The owner's import page and its background worker (the importer itself is registered by AddBlogImport).</summary>
    public static IServiceCollection AddBlogImportRuns(this IServiceCollection services)
    {
        services.AddOptions<ImportUploadOptions>().BindConfiguration(ImportUploadOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ImportRunStore>();
        // One instance: it holds the queue the worker reads.
        services.AddSingleton<ImportJobs>();
        services.AddHostedService<ImportWorker>();
        return services;
    }
}
