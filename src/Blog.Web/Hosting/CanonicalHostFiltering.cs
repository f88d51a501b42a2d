using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Blog.Web.Hosting;

/// <summary>
/// Once the blog knows its address (<see cref="CanonicalAddress"/>), a request naming any other host is answered 400
/// by ASP.NET Core's host filtering, which the web host puts first in every pipeline. Its allowed hosts follow the
/// address as the owner changes it in the settings, without a restart; while no address is known, any host is served.
/// </summary>
/// <remarks>
/// The loopback names (<c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>) stay allowed: health checks and <c>curl</c>
/// on the server itself, and a proxy on the same machine that passes its upstream address as the Host. A remote
/// client can send them too, but gains nothing by it: no link and no response is built from the Host.
/// </remarks>
public static class CanonicalHostFiltering
{
    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]"];

    public static IServiceCollection AddBlogCanonicalAddress(this IServiceCollection services)
    {
        services.AddSingleton<CrossInstanceChanges, InProcessChanges>();
        services.AddSingleton<CanonicalAddress>();
        services.AddSingleton<AllowedHostsFromAddress>();
        services.AddSingleton<IConfigureOptions<HostFilteringOptions>>(provider => provider.GetRequiredService<AllowedHostsFromAddress>());
        services.AddSingleton<IOptionsChangeTokenSource<HostFilteringOptions>>(provider => provider.GetRequiredService<AllowedHostsFromAddress>());
        return services;
    }

    /// <summary>
    /// Reads the address recorded at setup or in the settings; at startup, after the migrations, and again whenever
    /// another instance of the blog records a new one.
    /// </summary>
    public static Task LoadCanonicalAddressAsync(this WebApplication app)
    {
        var address = app.Services.GetRequiredService<CanonicalAddress>();
        app.Services.GetRequiredService<CrossInstanceChanges>().WhenChangedElsewhere(CrossInstanceChanges.Address,
            () => address.LoadAsync(app.Lifetime.ApplicationStopping));
        return address.LoadAsync(app.Lifetime.ApplicationStopping);
    }

    /// <summary>
    /// Refuses, with a 400, a Host that ASP.NET Core cannot read: it decodes a name written in punycode (<c>xn--…</c>)
    /// each time <c>Request.Host</c> is read, and throws on one that does not decode, so the output cache and the https
    /// redirect would turn it into a 500. Host filtering refuses such a Host once the address is known; this, before.
    /// </summary>
    public static IApplicationBuilder UseReadableHostsOnly(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (HasReadableHost(context.Request))
            {
                return next(context);
            }
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return context.Response.WriteAsync("The request's Host header is not a host name.");
        });

    private static bool HasReadableHost(HttpRequest request)
    {
        try
        {
            _ = request.Host;
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Host filtering's options, made again each time the canonical address changes.</summary>
    internal sealed class AllowedHostsFromAddress(CanonicalAddress address)
        : IConfigureOptions<HostFilteringOptions>, IOptionsChangeTokenSource<HostFilteringOptions>
    {
        public string Name => Options.DefaultName;

        public IChangeToken GetChangeToken() => address.GetChangeToken();

        public void Configure(HostFilteringOptions options) =>
            options.AllowedHosts = address.Known is { } known ? [new Uri(known).IdnHost, .. LoopbackNames] : ["*"];
    }
}
