using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// The blog as installed at <see cref="Address"/> behind a reverse proxy on the same machine: Blog:BaseUrl is set,
/// forwarded headers are trusted, and every test request arrives over a loopback connection, as from that proxy.
/// </summary>
public class ProxiedBlogAppFactory : BlogAppFactory
{
    public const string Address = "https://blog.example.test";

    public ProxiedBlogAppFactory()
    {
        Settings["Blog:BaseUrl"] = Address;
        Settings["Blog:ReverseProxy:Enabled"] = "true";
        Settings["Blog:Comments:PerMinute"] = "1000";
    }

    /// <summary>
    /// Ways a client can try to make the blog name another site, by name: what each sends, and the text that must
    /// then appear nowhere in what the blog writes. Every one gets past host filtering; the blog must ignore it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (Action<HttpRequestHeaders> Apply, string Forged)> Forgeries =
        new Dictionary<string, (Action<HttpRequestHeaders>, string)>
        {
            // The canonical host with another port, over plain http: a link built from the request would say so.
            ["host-port"] = (headers => headers.Host = "blog.example.test:8080", "blog.example.test:8080"),
            // A loopback name, which host filtering lets through for health checks.
            ["host-loopback"] = (headers => headers.Host = "localhost:8081", "localhost:8081"),
            // Headers a known proxy may send; X-Forwarded-Host must change nothing.
            ["forwarded-host"] = (headers =>
            {
                headers.Add("X-Forwarded-Host", "evil.example");
                headers.Add("X-Forwarded-Proto", "http");
            }, "evil.example"),
        };

    /// <summary>Makes every request of <paramref name="client"/> carry the forgery named <paramref name="forgery"/>.</summary>
    public static BlogClient Forge(BlogClient client, string forgery)
    {
        Forgeries[forgery].Apply(client.Http.DefaultRequestHeaders);
        return client;
    }

    /// <summary>Where every request comes from: the proxy on loopback, unless a test says otherwise.</summary>
    public IPAddress ClientAddress { get; init; } = IPAddress.Loopback;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new ConnectionFrom(ClientAddress)));
    }

    /// <summary>The in-process server leaves the client's address empty, where Kestrel reports the connection's.</summary>
    private sealed class ConnectionFrom(IPAddress client) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress ??= client;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
