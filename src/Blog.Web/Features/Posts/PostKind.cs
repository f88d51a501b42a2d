namespace Blog.Web.Features.Posts;

/// <summary>
/// What <c>posts.kind</c> holds: a dated post or a static page. Constant strings rather than an enum because they
/// are the stored values themselves: Dapper reads and writes them unchanged (an enum parameter would be sent as its
/// number), and the SQL constants name the same words.
/// </summary>
public static class PostKind
{
    public const string Post = "post";
    public const string Page = "page";
}
