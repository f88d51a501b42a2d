namespace Blog.Web.Features.Archive;

public static class ArchiveSetup
{
    /// <summary>The archive pages' and the sidebar's counts (the sidebar's label counts included).</summary>
    public static IServiceCollection AddBlogArchive(this IServiceCollection services) =>
        services.AddSingleton<SidebarCounts>();
}
