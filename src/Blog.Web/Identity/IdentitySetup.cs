using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Blog.Web.Identity;

public static class IdentitySetup
{
    public static IServiceCollection AddBlogIdentity(this IServiceCollection services)
    {
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddIdentityCore<Member>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.SignIn.RequireConfirmedEmail = true;
                options.Password.RequiredLength = 10;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireDigit = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddUserStore<MemberStore>()
            .AddSignInManager<MemberSignInManager>()
            .AddClaimsPrincipalFactory<MemberClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();

        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = ".Quire.Auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromDays(14);
            options.SlidingExpiration = true;
            options.LoginPath = "/account/sign-in";
            options.LogoutPath = "/account/sign-out";
            // The handler names the request's scheme and Host in its redirect to the sign-in page; any client can
            // forge those, so the browser is sent the path on this blog alone.
            var redirectToSignIn = options.Events.OnRedirectToLogin;
            options.Events.OnRedirectToLogin = context =>
            {
                context.RedirectUri = WithoutOrigin(context.RedirectUri, context.Request);
                return redirectToSignIn(context);
            };
            // A signed-in person who may not do something gets a clear 403 page, not a redirect loop.
            options.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });

        services.AddScoped<IClaimsTransformation, CurrentMemberClaimsTransformation>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Member, policy => policy.RequireRole(Policies.MemberRoleNames))
            .AddPolicy(Policies.Author, policy => policy.RequireRole(Policies.AuthorRoleNames))
            .AddPolicy(Policies.Owner, policy => policy.RequireRole(Policies.OwnerRoleNames));
        return services;
    }

    /// <summary>The path and query of a redirect the cookie handler built as scheme, "://", Host, then the path.</summary>
    private static string WithoutOrigin(string redirectUri, HttpRequest request)
    {
        var origin = request.Scheme + Uri.SchemeDelimiter + request.Host;
        return redirectUri.StartsWith(origin, StringComparison.Ordinal) ? redirectUri[origin.Length..] : redirectUri;
    }
}
