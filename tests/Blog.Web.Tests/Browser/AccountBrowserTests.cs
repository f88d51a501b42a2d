using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Blog.Web.Tests.Browser;

public sealed class AccountBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ForgottenPasswordIsResetThroughTheEmailedLinkAndTheNewOneSignsIn()
    {
        var member = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Member, displayName: "Forgetful Fran");
        var page = await browser.NewPageAsync();
        var problems = new PageProblems(page);

        await page.GotoAsync("/account/sign-in");
        await page.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?" }).ClickAsync();
        await page.GetByLabel("Email").FillAsync(member.Email!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send reset link" }).ClickAsync();
        var sent = await page.Locator("main h1").TextContentAsync();
        await page.GotoAsync(Mailbox.LinkInLastMessageTo(browser.App, member.Email!, "/account/reset-password"));
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("a fresh start for fran");
        await page.GetByLabel("Confirm new password").FillAsync("a fresh start for fran");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set new password" }).ClickAsync();
        var changed = await page.Locator("main h1").TextContentAsync();
        await BrowserFixture.SignInAsync(page, member.Email!, "a fresh start for fran");

        Assert.Equal("Check your email", sent);
        Assert.Equal("Password changed", changed);
        Assert.Contains("Forgetful Fran", await page.Locator(".signed-in-as").TextContentAsync(), StringComparison.Ordinal);
        Assert.Empty(problems.All);
    }

    [Fact]
    public async Task ChangingTheEmailAsksForThePasswordAndKeepsTheNewAddressWhenItIsWrong()
    {
        var member = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Member, displayName: "Moving Mo");
        var newEmail = $"moved-{Guid.NewGuid():N}@example.test";
        var page = await browser.NewPageAsync();
        var problems = new PageProblems(page);
        await BrowserFixture.SignInAsync(page, member.Email!);

        await page.GotoAsync("/account");
        await page.GetByRole(AriaRole.Link, new() { Name = "Change email" }).ClickAsync();
        await page.GetByLabel("New email").FillAsync(newEmail);
        await page.GetByLabel("Current password").FillAsync("not my password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send confirmation link" }).ClickAsync();
        var error = await page.Locator("span[data-valmsg-for=CurrentPassword]").TextContentAsync();
        var kept = await page.GetByLabel("New email").InputValueAsync();
        await page.GetByLabel("Current password").FillAsync(BlogClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send confirmation link" }).ClickAsync();
        var sent = await page.Locator("main h1").TextContentAsync();

        Assert.Equal("That isn't your password.", error);
        Assert.Equal(newEmail, kept);
        Assert.Equal("Check your new inbox", sent);
        Assert.Single(Mailbox.MessagesTo(browser.App, newEmail));
        Assert.Empty(problems.All);
    }

    [Theory]
    [InlineData(375, "light")]
    [InlineData(375, "dark")]
    [InlineData(1280, "light")]
    [InlineData(1280, "dark")]
    public async Task AccountAndTwoFactorPagesFitPhonesAndWideScreens(int width, string theme)
    {
        var member = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Member, displayName: "Screenshot Sam");
        var page = await browser.NewPageAsync(width, 800, theme == "dark" ? ColorScheme.Dark : ColorScheme.Light);
        var problems = new PageProblems(page);
        await BrowserFixture.SignInAsync(page, member.Email!);

        await page.GotoAsync("/account");
        await BrowserFixture.ScreenshotAsync(page, $"account-{width}-{theme}");
        var accountOverflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        await page.GetByRole(AriaRole.Link, new() { Name = "Two-factor authentication" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Set up an authenticator app" }).ClickAsync();
        await page.Locator("img.qr-code").WaitForAsync();
        // The image is a separate request: wait for it (a loaded machine can be slow), failing only on timeout.
        await page.WaitForFunctionAsync("() => { const img = document.querySelector('img.qr-code'); return img.complete; }");
        await BrowserFixture.ScreenshotAsync(page, $"account-two-factor-{width}-{theme}");
        var twoFactorOverflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        var qrLoaded = await page.EvaluateAsync<bool>("document.querySelector('img.qr-code').naturalWidth > 0");

        Assert.True(accountOverflow <= 0, $"/account scrolls sideways by {accountOverflow}px at {width}px.");
        Assert.True(twoFactorOverflow <= 0, $"/account/two-factor scrolls sideways by {twoFactorOverflow}px at {width}px.");
        Assert.True(qrLoaded, "The QR code image did not load.");
        Assert.Empty(problems.All);
    }
}
