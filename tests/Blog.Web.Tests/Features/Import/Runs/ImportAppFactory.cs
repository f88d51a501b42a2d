using Blog.Web.Features.Import;
using Blog.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Blog.Web.Tests.Features.Import.Runs;

/// <summary>The blog with <see cref="Runner"/> as its importer, on a fresh data folder or an existing one (a restart).</summary>
public sealed class ImportAppFactory : BlogAppFactory
{
    public ImportAppFactory()
    {
    }

    internal ImportAppFactory(string dataDirectory)
        : base(dataDirectory)
    {
    }

    public FakeImportRunner Runner { get; } = new();

    public string ImportsFolder => Path.Combine(DataDirectory, "imports");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<IImportRunner>(Runner)));
    }
}
