using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Net.Http.Headers;

namespace Blog.Web.Hosting;

/// <summary>
/// Response headers that make the browser refuse what the blog never does: run inline or foreign scripts,
/// be framed, sniff content types, or leak full URLs to other sites.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Scripts and styles only from this origin (no inline code at all, so no nonces are needed); images may
    /// come from https sites because authors embed them in posts; forms post only back to the blog.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // Added as the response starts, so they survive an error handler clearing the headers; a static
            // callback with the response as its state costs no allocation on every request.
            context.Response.OnStarting(AddHeaders, context.Response);
            return next(context);
        });

    private static readonly Func<object, Task> AddHeaders = static state =>
    {
        AddTo(((HttpResponse)state).Headers);
        return Task.CompletedTask;
    };

    /// <summary>Sets every security header on <paramref name="headers"/>; for responses that skip this middleware (picture files).</summary>
    public static void AddTo(IHeaderDictionary headers)
    {
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers[HeaderNames.XFrameOptions] = "DENY";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers["Permissions-Policy"] = PermissionsPolicy;
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }

    /// <summary>
    /// Behind nginx or Caddy, trust X-Forwarded-For/-Proto from the configured proxies so client addresses (rate
    /// limits, logs) and the request's scheme (secure cookies, the https redirect) are right. Off unless
    /// <c>Blog:ReverseProxy:Enabled</c> is true. X-Forwarded-Host is never read: links come from the blog's canonical
    /// address, and host filtering judges the Host the proxy passed on.
    /// </summary>
    public static IServiceCollection AddBlogReverseProxySupport(this IServiceCollection services)
    {
        services.AddOptions<ReverseProxyOptions>().BindConfiguration(ReverseProxyOptions.SectionName);
        services.AddOptions<ForwardedHeadersOptions>().Configure<Microsoft.Extensions.Options.IOptions<ReverseProxyOptions>>((forwarded, proxy) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var address in proxy.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(address));
            }
        });
        return services;
    }

    public static void UseBlogTransportSecurity(this WebApplication app)
    {
        var proxy = app.Configuration.GetSection(ReverseProxyOptions.SectionName).Get<ReverseProxyOptions>() ?? new();
        if (proxy.Enabled)
        {
            app.UseForwardedHeaders();
        }
        if (!app.Environment.IsDevelopment())
        {
            // HSTS is only sent on https responses; the redirect only happens when an https port is known
            // (an https URL in Urls, ASPNETCORE_HTTPS_PORT, or a proxy saying the request was https). The redirect
            // names the request's Host, so it waits until the blog knows its address: from then on host filtering
            // lets only that host (or a loopback name) get this far (see CanonicalHostFiltering).
            app.UseHsts();
            var address = app.Services.GetRequiredService<CanonicalAddress>();
            app.UseWhen(_ => address.Known is not null, branch => branch.UseHttpsRedirection());
        }
    }
}

/// <summary>The <c>Blog:ReverseProxy</c> section.</summary>
public sealed class ReverseProxyOptions
{
    public const string SectionName = "Blog:ReverseProxy";

    public bool Enabled { get; set; }

    /// <summary>Addresses of the proxies allowed to set forwarded headers (loopback is always trusted).</summary>
    public List<string> KnownProxies { get; set; } = [];
}
