using System.Net;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Blog.Web.Tests.Browser;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Blog.Web.Tests.Features.IndieAuth.IndieAuthTestApp;

namespace Blog.Web.Tests.Features.IndieAuth;

/// <summary>The flow in a real browser: the app's site is played by Playwright's routing, the blog is real.</summary>
public sealed class IndieAuthBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AnAuthorSignsInConsentsAndTheAppRedeemsTheCode()
    {
        var author = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Author, displayName: "Ada Author");
        var page = await browser.NewPageAsync();
        var problems = new PageProblems(page);
        await page.RouteAsync("https://app.example/**", route => route.FulfillAsync(new()
        {
            Status = 200,
            ContentType = "text/html",
            Body = "<!DOCTYPE html><html lang=\"en\"><title>The app</title><h1>Signed in</h1></html>",
        }));
        var pkce = PkcePair.Create();
        var issuer = browser.App.Services.GetRequiredService<CanonicalAddress>().Base + "/";

        await page.GotoAsync(AuthorizationUrl(pkce, "create update media", state: "browser-state"));
        await BrowserFixture.SubmitSignInFormAsync(page, author.Email!);
        var heading = await page.Locator("main h1").TextContentAsync();
        var shownClient = await page.Locator(".app-facts code").TextContentAsync();
        await page.GetByLabel("Change your posts").UncheckAsync();
        await BrowserFixture.ScreenshotAsync(page, "indieauth-consent");
        await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
        await ReturnToTheAppAsync(page);
        var answer = QueryOf(new Uri(page.Url));
        var (status, token) = await RedeemAsync(browser.App, answer["code"], pkce.Verifier);
        await page.GotoAsync(browser.BaseAddress + "account/apps");
        var listed = await page.Locator("table.app-list tbody tr").TextContentAsync();
        await BrowserFixture.ScreenshotAsync(page, "indieauth-apps");

        Assert.Equal("Let app.example use your account?", heading);
        Assert.Equal(ClientId, shownClient);
        Assert.Equal("browser-state", answer["state"]);
        Assert.Equal(issuer, answer["iss"]);
        Assert.Equal("blog", answer["from"]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("create media", token.GetProperty("scope").GetString());
        Assert.Contains("create, media", listed, StringComparison.Ordinal);
        Assert.Empty(problems.All);
    }

    /// <summary>
    /// The page answering the form refreshes to the app at once and shows the way back as a link for a browser that
    /// does not follow the refresh. A busy machine may hold the refresh back: after a while the test takes the link.
    /// </summary>
    private static async Task ReturnToTheAppAsync(IPage page)
    {
        try
        {
            await page.WaitForURLAsync("https://app.example/callback**", new() { Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            await page.Locator("#return-to-app").ClickAsync();
            await page.WaitForURLAsync("https://app.example/callback**");
        }
    }
}
