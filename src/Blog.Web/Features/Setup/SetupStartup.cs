using Blog.Web.Features.Members;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Blog.Web.Features.Setup;

public static class SetupStartup
{
    /// <summary>
    /// On a blog without an owner, issues a setup token and, once the server listens, logs the full /setup link
    /// so whoever started the blog (and only they: it is never shown on a page) can claim it.
    /// </summary>
    public static async Task PrepareOwnerSetupAsync(this WebApplication app)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            if (await scope.ServiceProvider.GetRequiredService<MembershipService>().OwnerExistsAsync(app.Lifetime.ApplicationStopping))
            {
                return;
            }
        }
        var token = app.Services.GetRequiredService<SetupToken>().Issue();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Quire");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var url = $"{Browsable(addresses.FirstOrDefault())}/setup?token={token}";
            logger.LogWarning("This blog has no owner yet. Create the owner account at {SetupUrl} (the link works once, and only until the blog restarts).", url);
        });
    }

    /// <summary>A listening address as a browser can open it: wildcard hosts become localhost.</summary>
    private static string Browsable(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return "http://localhost";
        }
        foreach (var wildcard in (string[])["://[::]", "://0.0.0.0", "://+", "://*"])
        {
            address = address.Replace(wildcard, "://localhost", StringComparison.Ordinal);
        }
        return address.TrimEnd('/');
    }
}
