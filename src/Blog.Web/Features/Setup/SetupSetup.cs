using Blog.Web.Hosting;

namespace Blog.Web.Features.Setup;

/// <summary>Setting up a fresh blog: the services that create its owner, and the setup link logged at start.</summary>
public static class SetupSetup
{
    public static IServiceCollection AddBlogSetup(this IServiceCollection services)
    {
        services.AddSingleton<SetupToken>();
        services.AddScoped<OwnerCommands>();
        return services;
    }

    /// <summary>
    /// On a blog without an owner, issues a setup token and, once the server listens, logs the full /setup link
    /// so whoever started the blog (and only they: it is never shown on a page) can claim it. On a blog with an
    /// owner but no known address (an owner made from the command line), says how links are built until it has one.
    /// </summary>
    public static async Task PrepareOwnerSetupAsync(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Quire");
        var address = app.Services.GetRequiredService<CanonicalAddress>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            if (await scope.ServiceProvider.GetRequiredService<OwnerCommands>().OwnerExistsAsync(app.Lifetime.ApplicationStopping))
            {
                if (address.Known is null)
                {
                    app.Lifetime.ApplicationStarted.Register(() => logger.LogWarning(
                        "This blog does not know its public address, so links in mail, feeds and page metadata use {Address}. Set Blog:BaseUrl, or the address in the owner's settings.",
                        address.Base));
                }
                return;
            }
        }
        var issue = await app.Services.GetRequiredService<SetupToken>().IssueAsync(
            SetupToken.KeptForInstancesStartingTogether, app.Lifetime.ApplicationStopping);
        if (issue.Token is not { } token)
        {
            app.Lifetime.ApplicationStarted.Register(() => logger.LogWarning(
                "This blog has no owner yet. Another start of the blog issued the setup link at {IssuedAt:u} and logged it; it works on every instance. A start after {ReplacedAfter:u} issues a new one.",
                issue.IssuedAt, issue.IssuedAt + SetupToken.KeptForInstancesStartingTogether));
            return;
        }
        // Blog:BaseUrl when configured, else the address the server listens on (read once it listens).
        app.Lifetime.ApplicationStarted.Register(() => logger.LogWarning(
            "This blog has no owner yet. Create the owner account at {SetupUrl} (the link works once, on any instance, until a later start replaces it).",
            address.Absolute($"/setup?token={token}")));
    }
}
