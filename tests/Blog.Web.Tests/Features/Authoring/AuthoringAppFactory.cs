using Blog.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Blog.Web.Tests.Features.Authoring;

/// <summary>The blog with a clock the test controls, and a small body limit so the limit is cheap to hit.</summary>
public sealed class AuthoringAppFactory : BlogAppFactory
{
    public AuthoringAppFactory()
    {
        Settings["Blog:Content:MaxBodyLength"] = "5000";
    }

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    }
}
