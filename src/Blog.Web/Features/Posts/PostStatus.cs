namespace Blog.Web.Features.Posts;

/// <summary>
/// What <c>posts.status</c> holds (constant strings for the reason given on <see cref="PostKind"/>). There is no
/// stored "scheduled": a published post whose <c>published_at</c> is still to come is scheduled, and readers see it
/// once that time has passed.
/// </summary>
public static class PostStatus
{
    public const string Draft = "draft";
    public const string Published = "published";
}
