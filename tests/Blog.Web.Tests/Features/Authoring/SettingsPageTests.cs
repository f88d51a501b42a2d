using System.Net;
using Blog.Web.Features.Settings;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Authoring;

public sealed class SettingsPageTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    [Fact]
    public async Task OwnerSavesSettingsAndMembershipModeIsKept()
    {
        var store = app.Services.GetRequiredService<SiteSettingsStore>();
        await store.SaveAsync((await store.GetAsync()) with { MembershipMode = MembershipMode.Open });
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);

        var response = await owner.SubmitFormAsync("/admin/settings", new Dictionary<string, string>
        {
            ["Title"] = "Field Notes", ["Description"] = "Birds & bees", ["PostsPerPage"] = "7",
            ["TimeZone"] = "Europe/Paris", ["DateFormat"] = "d MMM yyyy",
        });
        var saved = await store.GetAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(("Field Notes", "Birds & bees", 7, "Europe/Paris", "d MMM yyyy", MembershipMode.Open),
            (saved.Title, saved.Description, saved.PostsPerPage, saved.TimeZone, saved.DateFormat, saved.MembershipMode));
    }

    [Theory]
    [InlineData("", "5", "UTC", "yyyy", "Give the blog a title.")]
    [InlineData("T", "0", "UTC", "yyyy", "Show between 1 and 100 posts per page.")]
    [InlineData("T", "101", "UTC", "yyyy", "Show between 1 and 100 posts per page.")]
    [InlineData("T", "5", "Mars/Olympus_Mons", "yyyy", "not a time zone this server knows")]
    [InlineData("T", "5", "UTC", "%", "That date format doesn't work")]
    public async Task InvalidSettingsAreRefusedWithTheTypedValuesKept(string title, string perPage, string zone, string format, string message)
    {
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        var before = await app.Services.GetRequiredService<SiteSettingsStore>().GetAsync();

        var response = await owner.SubmitFormAsync("/admin/settings", new Dictionary<string, string>
        {
            ["Title"] = title, ["Description"] = "typed description", ["PostsPerPage"] = perPage, ["TimeZone"] = zone, ["DateFormat"] = format,
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
        Assert.Contains("typed description", html, StringComparison.Ordinal);
        Assert.Equal(before, await app.Services.GetRequiredService<SiteSettingsStore>().GetAsync());
    }

    [Fact]
    public async Task AuthorsCannotChangeSettings()
    {
        var (author, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var before = await app.Services.GetRequiredService<SiteSettingsStore>().GetAsync();

        var response = await author.PostAsync("/admin/settings", new Dictionary<string, string>
        {
            ["Title"] = "Taken over", ["PostsPerPage"] = "5", ["TimeZone"] = "UTC", ["DateFormat"] = "yyyy",
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await app.Services.GetRequiredService<SiteSettingsStore>().GetAsync());
    }
}
