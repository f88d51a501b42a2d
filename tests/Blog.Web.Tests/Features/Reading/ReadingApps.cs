using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Reading;

/// <summary>A blog in New York time, where a post's local month can differ from its UTC month.</summary>
public sealed class NewYorkBlogAppFactory : BlogAppFactory
{
    public NewYorkBlogAppFactory()
    {
        Settings["Blog:Defaults:TimeZone"] = "America/New_York";
    }
}

/// <summary>A blog showing two posts per page, so paging is quick to reach.</summary>
public sealed class TwoPerPageBlogAppFactory : BlogAppFactory
{
    public TwoPerPageBlogAppFactory()
    {
        Settings["Blog:Defaults:PostsPerPage"] = "2";
    }
}
