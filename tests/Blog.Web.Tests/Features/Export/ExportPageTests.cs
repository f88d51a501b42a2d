using System.Net;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Export;

public sealed class ExportPageTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    [Fact]
    public async Task OwnerPageOffersBothFormatsAsPostForms()
    {
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var _owner = owner;

        var page = await owner.GetPageAsync("/admin/export");

        var formats = page.QuerySelectorAll("main form[method=post][action='/admin/export']")
            .Select(f => f.QuerySelector("input[name=format]")!.GetAttribute("value")).ToList();
        Assert.Equal(["wordpress", "blogger"], formats);
        Assert.All(page.QuerySelectorAll("main form"), f => Assert.NotNull(f.QuerySelector($"input[name={BlogClient.AntiforgeryField}]")));
    }

    [Theory]
    [InlineData("wordpress", "application/rss+xml", "rss")]
    [InlineData("blogger", "application/atom+xml", "feed")]
    [InlineData("WordPress", "application/rss+xml", "rss")]
    public async Task OwnerDownloadsTheBlogAsAnAttachmentInTheChosenFormat(string format, string contentType, string root)
    {
        var (owner, member) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var _owner = owner;
        PostSeeder.Insert(app, new SeedPost { Title = "Downloaded post " + format, AuthorId = member.Id });

        using var response = await owner.PostAsync("/admin/export", new Dictionary<string, string> { ["format"] = format }, "/admin/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Matches($"^localhost-{format.ToLowerInvariant()}-\\d{{8}}\\.xml$", response.Content.Headers.ContentDisposition.FileName);
        var document = ExportTestBlog.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(root, document.Root!.Name.LocalName);
        Assert.Contains(document.Descendants(), e => e.Name.LocalName == "title" && e.Value == "Downloaded post " + format);
    }

    [Theory]
    [InlineData("takeout")]
    [InlineData("")]
    [InlineData("<script>alert(1)</script>")]
    public async Task AnUnknownFormatGetsThePageAgainWithAMessage(string format)
    {
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var _owner = owner;

        using var response = await owner.PostAsync("/admin/export", new Dictionary<string, string> { ["format"] = format }, "/admin/export");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Choose one of the two formats below.", page.QuerySelector("[role=alert]")!.TextContent.Trim());
        Assert.Equal(2, page.QuerySelectorAll("main form").Length);
    }
}
