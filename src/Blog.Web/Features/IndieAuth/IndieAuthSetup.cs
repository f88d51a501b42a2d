namespace Blog.Web.Features.IndieAuth;

public static class IndieAuthSetup
{
    /// <summary>Signing in apps with the blog's own accounts (IndieAuth), and the tokens they are given.</summary>
    public static IServiceCollection AddBlogIndieAuth(this IServiceCollection services)
    {
        services.AddSingleton<AccessTokenStore>();
        services.AddSingleton<AuthorizationCodeStore>();
        return services;
    }
}
