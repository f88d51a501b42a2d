namespace Blog.Web.Features.Redirects;

public static class RedirectsSetup
{
    /// <summary>Old addresses of an imported blog: looked up only when nothing else answers them.</summary>
    public static IServiceCollection AddBlogRedirects(this IServiceCollection services) =>
        services
            .AddSingleton<OldAddressStore>()
            .AddSingleton<OldAddresses>();

    /// <summary>Before the reader cache (see <see cref="OldQueryRedirects"/>).</summary>
    public static IApplicationBuilder UseBlogOldQueryRedirects(this IApplicationBuilder app) =>
        app.UseMiddleware<OldQueryRedirects>();
}
