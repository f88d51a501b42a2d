namespace Blog.Web.Features.Authoring;

public static class AuthoringSetup
{
    public static IServiceCollection AddBlogAuthoring(this IServiceCollection services) =>
        services
            .AddSingleton<PostStore>()
            .AddSingleton<PostCommands>()
            .AddSingleton<PostRerenderer>()
            .AddSingleton<AuthoringQueries>()
            .AddSingleton<RevisionQueries>();
}
