using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// The real app with a clock the test moves, and a small page that renders only the comment section of a post
/// (<see cref="CommentSectionHostController"/>), because the post page itself is another feature's.
/// </summary>
public class CommentAppFactory : ClockedBlogAppFactory
{
    public CommentAppFactory()
    {
        // Every test client shares one member-per-test pattern; tests of the limit lower this again.
        Settings["Blog:Comments:PerMinute"] = "1000";
    }

    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.AddControllersWithViews().AddApplicationPart(typeof(CommentSectionHostController).Assembly);
        });
    }

    public static string SectionUrl(long postId) => $"/test/posts/{postId}/comments";
}

/// <summary>Test-only: renders the CommentSection view component exactly as the post page invokes it.</summary>
public sealed class CommentSectionHostController : Controller
{
    [HttpGet("/test/posts/{postId:long}/comments")]
    public IActionResult Section(long postId) => ViewComponent("CommentSection", new { postId });
}
