using Blog.Web.Features.Setup;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Blog.Web.Tests.Browser;

public sealed class MembershipBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static async Task AssertNoSidewaysScrollAsync(IPage page, int width)
    {
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"{page.Url} scrolls sideways by {overflow}px at {width}px.");
    }

    [Theory]
    [InlineData(375, ColorScheme.Light)]
    [InlineData(1280, ColorScheme.Dark)]
    public async Task TheConfirmationLinkAsksBeforeItConfirms(int width, ColorScheme scheme)
    {
        using var client = new BlogClient(browser.App);
        var (email, link) = await Features.Account.ConfirmEmailTests.RegisterAsync(browser.App, client);
        var page = await browser.NewPageAsync(width, 900, scheme);
        var problems = new PageProblems(page);

        await page.GotoAsync(link);
        await BrowserFixture.ScreenshotAsync(page, $"confirm-email-{width}-{scheme}".ToLowerInvariant());
        var confirmedBeforePressing = Features.Account.ConfirmEmailTests.IsConfirmed(browser.App, email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm my email" }).ClickAsync();

        Assert.False(confirmedBeforePressing);
        Assert.Equal("Email confirmed", (await page.Locator("main h1").TextContentAsync())?.Trim());
        Assert.True(Features.Account.ConfirmEmailTests.IsConfirmed(browser.App, email));
        await AssertNoSidewaysScrollAsync(page, width);
        Assert.Empty(problems.All);
    }

    [Fact]
    public async Task OwnerInvitesANewPersonWhoRegistersConfirmsSignsInAndBecomesAMember()
    {
        var owner = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Owner, displayName: "Olive Owner");
        var ownerPage = await browser.NewPageAsync();
        var problems = new PageProblems(ownerPage);
        await BrowserFixture.SignInAsync(ownerPage, owner.Email!, returnUrl: "/admin/members");
        await ownerPage.GetByRole(AriaRole.Button, new() { Name = "Create invitation" }).ClickAsync();
        var link = (await ownerPage.Locator(".invitation-link code").TextContentAsync())!.Trim();
        var email = $"guest-{Guid.NewGuid():N}@example.test";

        var guest = await browser.NewPageAsync(375, 800);
        await guest.GotoAsync(link);
        await guest.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
        await guest.GetByLabel("Display name").FillAsync("Gwen Guest");
        await guest.GetByLabel("Email").FillAsync(email);
        await guest.GetByLabel("Password", new() { Exact = true }).FillAsync(BlogClient.Password);
        await guest.GetByLabel("Confirm password").FillAsync(BlogClient.Password);
        await guest.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await guest.GotoAsync(Mailbox.LinkInLastMessageTo(browser.App, email, "/account/confirm-email"));
        await guest.GetByRole(AriaRole.Button, new() { Name = "Confirm my email" }).ClickAsync();
        await guest.Locator("main").GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await BrowserFixture.SubmitSignInFormAsync(guest, email);
        var backAtInvitation = guest.Url;
        await guest.GetByRole(AriaRole.Button, new() { Name = "Accept invitation" }).ClickAsync();
        var membership = await guest.Locator(".membership-state").TextContentAsync();
        await ownerPage.GotoAsync($"/admin/members?q={Uri.EscapeDataString(email)}");
        var listed = await ownerPage.Locator("#people-heading ~ .members-list").TextContentAsync();

        Assert.Equal(link, backAtInvitation);
        Assert.Contains("You are a member", membership, StringComparison.Ordinal);
        Assert.Contains("Gwen Guest", listed, StringComparison.Ordinal);
        Assert.Contains("member", listed, StringComparison.Ordinal);
        Assert.Empty(problems.All);
    }

    [Theory]
    [InlineData(375, "light")]
    [InlineData(375, "dark")]
    [InlineData(1280, "light")]
    [InlineData(1280, "dark")]
    public async Task MembersAndInvitationPagesHoldOnPhonesAndWideScreens(int width, string theme)
    {
        var scheme = theme == "dark" ? ColorScheme.Dark : ColorScheme.Light;
        var owner = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Owner);
        await BlogClient.CreateAccountAsync(browser.App, MemberRole.Author, displayName: "Ann Author with a rather long display name");
        var page = await browser.NewPageAsync(width, 800, scheme);
        await BrowserFixture.SignInAsync(page, owner.Email!, returnUrl: "/admin/members");
        await page.GetByLabel("Email address (optional)").FillAsync($"friend-{width}-{theme}@example.test");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create invitation" }).ClickAsync();
        await BrowserFixture.ScreenshotAsync(page, $"invitation-created-{width}-{theme}");
        await AssertNoSidewaysScrollAsync(page, width);
        var link = (await page.Locator(".invitation-link code").TextContentAsync())!.Trim();

        await page.GotoAsync("/admin/members");
        await BrowserFixture.ScreenshotAsync(page, $"members-{width}-{theme}");
        await AssertNoSidewaysScrollAsync(page, width);
        var visitor = await browser.NewPageAsync(width, 800, scheme);
        await visitor.GotoAsync(link);
        await BrowserFixture.ScreenshotAsync(visitor, $"invitation-{width}-{theme}");

        await AssertNoSidewaysScrollAsync(visitor, width);
        Assert.True(await visitor.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).IsVisibleAsync());
    }
}

/// <summary>The setup page needs a blog without an owner, so it gets its own.</summary>
public sealed class SetupBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(375, "light")]
    [InlineData(375, "dark")]
    [InlineData(1280, "light")]
    [InlineData(1280, "dark")]
    public async Task SetupPageHoldsOnPhonesAndWideScreens(int width, string theme)
    {
        var token = (await browser.App.Services.GetRequiredService<SetupToken>().IssueAsync(TimeSpan.Zero, CancellationToken.None)).Token;
        var page = await browser.NewPageAsync(width, 800, theme == "dark" ? ColorScheme.Dark : ColorScheme.Light);
        var problems = new PageProblems(page);

        await page.GotoAsync($"/setup?token={token}");
        await BrowserFixture.ScreenshotAsync(page, $"setup-{width}-{theme}");

        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"/setup scrolls sideways by {overflow}px at {width}px.");
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Create the owner account" }).IsVisibleAsync());
        Assert.Empty(problems.All);
    }
}
