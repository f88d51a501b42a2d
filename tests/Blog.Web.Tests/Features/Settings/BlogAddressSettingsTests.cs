using System.Net;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Settings;

/// <summary>
/// The blog's address on the owner's settings page, for a blog without Blog:BaseUrl. The test clients use the host
/// localhost, which host filtering always lets through, so changing the address never locks them out.
/// </summary>
public sealed class BlogAddressSettingsTests(BlogAddressSettingsTests.Unconfigured app) : IClassFixture<BlogAddressSettingsTests.Unconfigured>
{
    public sealed class Unconfigured : BlogAppFactory
    {
        public Unconfigured()
        {
            Settings["Blog:BaseUrl"] = "";
        }
    }

    private CanonicalAddress Address => app.Services.GetRequiredService<CanonicalAddress>();

    private static Dictionary<string, string> Form(string baseUrl, string title = "Field Notes") => new()
    {
        ["Title"] = title, ["Description"] = "", ["PostsPerPage"] = "10", ["TimeZone"] = "UTC", ["DateFormat"] = "yyyy", ["BaseUrl"] = baseUrl,
    };

    [Fact]
    public async Task TheOwnerSeesTheAddressAndChangesIt()
    {
        await Address.RecordAsync("https://old.example.test", CancellationToken.None);
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);

        var page = await owner.GetPageAsync("/admin/settings");
        using var saved = await owner.SubmitFormAsync("/admin/settings", Form(" https://New.Example.test/ "));
        var robots = await (await new BlogClient(app).GetAsync("/robots.txt")).Content.ReadAsStringAsync();

        Assert.Equal("https://old.example.test", page.QuerySelector("input[name=BaseUrl]")!.GetAttribute("value"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("https://new.example.test", Address.Known);
        Assert.Contains("Sitemap: https://new.example.test/sitemap.xml", robots, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://example.com/blog", "leave out the path (/blog)")]
    [InlineData("example.com", "Enter the full address")]
    [InlineData("https://example.com/?ref=1", "Leave out the part from ? or # on")]
    [InlineData("", "Enter the blog's address")]
    public async Task AnInvalidAddressShowsTheFormAgainWithTheTextKeptAndNothingSaved(string typed, string message)
    {
        await Address.RecordAsync("https://kept.example.test", CancellationToken.None);
        var settingsBefore = await app.Services.GetRequiredService<SiteSettingsStore>().GetAsync();
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);

        using var response = await owner.SubmitFormAsync("/admin/settings", Form(typed, title: "Not saved either"));
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, page.QuerySelector("[data-valmsg-for=BaseUrl]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(typed, page.QuerySelector("input[name=BaseUrl]")!.GetAttribute("value") ?? "");
        Assert.Equal("Not saved either", page.QuerySelector("input[name=Title]")!.GetAttribute("value"));
        Assert.Equal("https://kept.example.test", Address.Known);
        Assert.Equal(settingsBefore, await app.Services.GetRequiredService<SiteSettingsStore>().GetAsync());
    }

    [Fact]
    public async Task OnlyTheOwnerMayChangeItAndOnlyWithTheFormsToken()
    {
        await Address.RecordAsync("https://kept.example.test", CancellationToken.None);
        var (author, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var anonymous = new BlogClient(app);

        using var byAuthor = await author.PostAsync("/admin/settings", Form("https://author.example.test"));
        using var byAnonymous = await anonymous.PostAsync("/admin/settings", Form("https://anonymous.example.test"), "/account/sign-in");
        using var withoutToken = await owner.Http.PostAsync("/admin/settings", new FormUrlEncodedContent(Form("https://tokenless.example.test")));

        Assert.Equal(HttpStatusCode.Forbidden, byAuthor.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, byAnonymous.StatusCode);
        Assert.StartsWith("/account/sign-in", byAnonymous.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal("https://kept.example.test", Address.Known);
    }

    [Fact]
    public async Task AnEmptyAddressIsAcceptedWhileNoneIsKnownAndTheListeningAddressIsNamed()
    {
        using var fresh = new Unconfigured();
        var (owner, _) = await BlogClient.SignedInAsync(fresh, MemberRole.Owner);

        var page = await owner.GetPageAsync("/admin/settings");
        using var saved = await owner.SubmitFormAsync("/admin/settings", Form("", title: "Saved without an address"));

        Assert.Contains("Until it is set, links use http://localhost:5000", page.QuerySelector("#address-hint")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("Saved without an address", (await fresh.Services.GetRequiredService<SiteSettingsStore>().GetAsync()).Title);
        Assert.Null(fresh.Services.GetRequiredService<CanonicalAddress>().Known);
    }

    [Fact]
    public async Task BlogBaseUrlIsShownReadOnlyAndThePageCannotChangeIt()
    {
        using var configured = new BlogAppFactory { Settings = { ["Blog:BaseUrl"] = "https://configured.example.test" } };
        var (owner, _) = await BlogClient.SignedInAsync(configured, MemberRole.Owner);

        var page = await owner.GetPageAsync("/admin/settings");
        using var saved = await owner.SubmitFormAsync("/admin/settings", Form("https://other.example.test"));
        var address = configured.Services.GetRequiredService<CanonicalAddress>();

        var shown = page.QuerySelector("#configured-address")!;
        Assert.Equal("https://configured.example.test", shown.GetAttribute("value"));
        Assert.True(shown.HasAttribute("readonly"));
        Assert.Null(page.QuerySelector("input[name=BaseUrl]"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("https://configured.example.test", address.Known);
        Assert.Null(address.Recorded);
    }
}
