using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.Extensions.Configuration.Json;

namespace Blog.Web.Hosting;

public static class HostingSetup
{
    /// <summary>
    /// Loads the repo-root appsettings.json (copied next to the binaries) as the lowest-priority source, so
    /// environment variables, command-line arguments and test overrides all win over it.
    /// </summary>
    public static void AddRootAppSettings(this ConfigurationManager configuration)
    {
        var source = new JsonConfigurationSource
        {
            Path = Path.Combine(AppContext.BaseDirectory, "appsettings.json"),
            Optional = true,
            ReloadOnChange = false,
        };
        source.ResolveFileProvider();
        configuration.Sources.Insert(0, source);
    }

    public static IServiceCollection AddBlogOptions(this IServiceCollection services)
    {
        services.AddOptions<BlogOptions>()
            .BindConfiguration(BlogOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(options => CanonicalAddress.IsValidConfiguration(options.BaseUrl), CanonicalAddress.InvalidConfiguration)
            .ValidateOnStart();
        services.AddSingleton<DataFolder>();
        services.AddSingleton(TimeProvider.System);

        // Keys live in the data folder, so restarting the blog does not sign everyone out or break old links.
        services.AddDataProtection().SetApplicationName("Quire");
        services.AddOptions<KeyManagementOptions>().Configure<DataFolder, ILoggerFactory>((options, folder, loggers) =>
            options.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(folder.KeysPath), loggers));
        return services;
    }

    /// <summary>MVC with feature folders: a feature's controller, models and views sit together.</summary>
    public static IServiceCollection AddBlogMvc(this IServiceCollection services)
    {
        services.AddControllersWithViews(options =>
        {
            options.Filters.Add(new AutoValidateAntiforgeryTokenAttribute());
            options.Filters.Add<Features.Errors.ReaderNotFoundFilter>();
            options.ModelBinderProviders.Insert(0, new CleanTextModelBinderProvider());
        });
        services.Configure<RazorViewEngineOptions>(options =>
        {
            options.ViewLocationFormats.Clear();
            options.ViewLocationFormats.Add(FeatureViewLocations.FeatureLocation);
            options.ViewLocationFormats.Add(FeatureViewLocations.SharedLocation);
            options.ViewLocationExpanders.Add(new FeatureViewLocations());
        });
        services.AddRouting(options => options.LowercaseUrls = true);
        return services;
    }

    /// <summary>Tells whoever started the blog where to open it and where its data is.</summary>
    public static void LogWhereTheBlogLives(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Quire");
        var dataFolder = app.Services.GetRequiredService<DataFolder>();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>()
                .Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            logger.LogInformation("Quire is serving at {Urls}", string.Join(", ", addresses));
            logger.LogInformation("Data folder: {DataFolder}", dataFolder.Root);
        });
    }
}
