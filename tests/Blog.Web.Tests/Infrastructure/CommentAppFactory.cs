namespace Blog.Web.Tests.Infrastructure;

/// <summary>The blog on a clock the test moves, with the per-member comment limit out of the way.</summary>
public class CommentAppFactory : ClockedBlogAppFactory
{
    public CommentAppFactory()
    {
        // Every test client shares one member-per-test pattern; tests of the limit lower this again.
        Settings["Blog:Comments:PerMinute"] = "1000";
    }

    public DateTime Now => Clock.GetUtcNow().UtcDateTime;
}
