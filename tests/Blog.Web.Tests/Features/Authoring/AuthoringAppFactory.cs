using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Authoring;

/// <summary>The blog on a clock the test moves, with a small body limit so the limit is cheap to hit.</summary>
public sealed class AuthoringAppFactory : ClockedBlogAppFactory
{
    public AuthoringAppFactory()
    {
        Settings["Blog:Content:MaxBodyLength"] = "5000";
    }
}
