using Blog.Web.Identity;
using Blog.Web.Tests.Browser;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Blog.Web.Tests.Features.Authoring;

public sealed class RevisionsBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task TextTypedAndNotSavedIsOfferedBackAfterAReload()
    {
        var author = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Author);
        var page = await browser.NewPageAsync();
        var problems = new PageProblems(page);
        await BrowserFixture.SignInAsync(page, author.Email!);
        await page.GotoAsync("/admin/posts/new");
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync("Typed and kept");
        await page.GetByLabel("Body (Markdown)").FillAsync("The first paragraph.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await page.Locator(".revision-list").WaitForAsync();

        await page.GetByLabel("Body (Markdown)").PressAsync("Control+End");
        await page.GetByLabel("Body (Markdown)").PressSequentiallyAsync(" And a second one, never saved.");
        await page.Locator("#autosave-status", new() { HasTextString = "Autosaved at" }).WaitForAsync();
        await page.ReloadAsync();
        var offered = await page.Locator(".autosave-offer h2").TextContentAsync();
        var bodyAfterReload = await page.GetByLabel("Body (Markdown)").InputValueAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Restore the autosaved text" }).ClickAsync();
        var restored = await page.GetByLabel("Body (Markdown)").InputValueAsync();

        Assert.StartsWith("Unsaved text from", offered, StringComparison.Ordinal);
        Assert.Equal("The first paragraph.", bodyAfterReload);
        Assert.Equal("The first paragraph. And a second one, never saved.", restored);
        Assert.Empty(problems.All);
    }

    [Fact]
    public async Task TheSecondOfTwoPeopleSavingOnePostIsShownBothTextsAndCanCompareRevisions()
    {
        var author = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Author);
        var owner = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Owner);
        var authorsPage = await browser.NewPageAsync();
        var ownersPage = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(authorsPage, author.Email!);
        await BrowserFixture.SignInAsync(ownersPage, owner.Email!);
        var title = "Written by two " + Guid.NewGuid().ToString("N")[..6];
        await authorsPage.GotoAsync("/admin/posts/new");
        await authorsPage.GetByLabel("Title", new() { Exact = true }).FillAsync(title);
        await authorsPage.GetByLabel("Body (Markdown)").FillAsync("Our garden has three apple trees and a pond.");
        await authorsPage.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await authorsPage.Locator(".revision-list").WaitForAsync();
        await ownersPage.GotoAsync(authorsPage.Url);

        await authorsPage.GetByLabel("Body (Markdown)").FillAsync("Our garden has four apple trees and a pond.");
        await authorsPage.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await authorsPage.Locator(".notice-success").WaitForAsync();
        await ownersPage.GetByLabel("Body (Markdown)").FillAsync("Our garden has three pear trees and a pond.");
        await ownersPage.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await ownersPage.Locator(".conflict").WaitForAsync();
        await BrowserFixture.ScreenshotAsync(ownersPage, "revisions-conflict");
        var ownersText = await ownersPage.GetByLabel("Body (Markdown)").InputValueAsync();
        var changes = await ownersPage.Locator(".conflict .diff-body").First.TextContentAsync();
        await ownersPage.Locator(".conflict-theirs summary").ClickAsync();
        var theirs = await ownersPage.Locator(".conflict-theirs .diff-body").TextContentAsync();

        Assert.Equal("Our garden has three pear trees and a pond.", ownersText);
        Assert.Equal("Our garden has four apple trees and a pond.", theirs);
        Assert.Equal("Our garden has [removed: four apple][added: three pear] trees and a pond.", changes);

        await ownersPage.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await ownersPage.Locator(".notice-success").WaitForAsync();
        await ownersPage.GetByRole(AriaRole.Link, new() { Name = "All revisions: compare any two, or restore one" }).ClickAsync();
        await BrowserFixture.ScreenshotAsync(ownersPage, "revisions-list");
        await ownersPage.GetByLabel("Compare from version 1").CheckAsync();
        await ownersPage.GetByRole(AriaRole.Button, new() { Name = "Compare the chosen versions" }).ClickAsync();
        await BrowserFixture.ScreenshotAsync(ownersPage, "revisions-compare");
        var compared = await ownersPage.Locator(".diff-body").TextContentAsync();

        Assert.Equal(2, await ownersPage.Locator(".compare-sides li").CountAsync());
        Assert.Equal("Our garden has three [removed: apple][added: pear] trees and a pond.", compared);
    }
}
