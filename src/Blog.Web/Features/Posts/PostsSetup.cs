namespace Blog.Web.Features.Posts;

public static class PostsSetup
{
    /// <summary>Reading posts and static pages, and the lists of posts (home, label, archive) built on them.</summary>
    public static IServiceCollection AddBlogPosts(this IServiceCollection services) =>
        services
            .AddSingleton<PostQueries>()
            .AddSingleton<PostLists>();
}
