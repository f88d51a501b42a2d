using System.Globalization;
using System.Net;
using System.Xml.Linq;
using AngleSharp.Dom;
using Blog.Web.Data;
using Blog.Web.Features.Authoring;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Media;

/// <summary>
/// A post's HTML is rendered when it is saved, so a change in the library must reach the posts that show the
/// picture: a new description where the post left the alt text to the library, and no broken image once the
/// picture is deleted. Readers see it at once (their cached pages and feeds go); authors see no new version.
/// </summary>
public sealed class MediaRerenderTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Fact]
    public async Task ANewDescriptionReachesThePostsThatLeftTheAltTextToTheLibraryAndTheirCachedPagesAndFeed()
    {
        var (author, member) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;
        var picture = PictureSeeder.Insert(app, new PictureSeed { AltText = "Old words", UploadedBy = member.Id, WithFiles = false });
        var leftToLibrary = await PublishAsync(author, $"Some text.\n\n![]({picture.MarkdownAddress})");
        var ownWords = await PublishAsync(author, $"![The author's words]({picture.MarkdownAddress})");
        var unrelated = await PublishAsync(author, "No picture here.");
        Stale(unrelated.Id);
        using var reader = new BlogClient(app);
        var cachedBefore = AltOf(await reader.GetPageAsync(leftToLibrary.Path));
        var feedBefore = await FeedAltAsync(reader, leftToLibrary.Title);
        var before = Saves(leftToLibrary.Id);

        using var described = await author.PostAsync($"/admin/media/{picture.Id}/alt", new Dictionary<string, string> { ["altText"] = "New words" }, "/admin/media");

        Assert.Equal(HttpStatusCode.Redirect, described.StatusCode);
        Assert.Equal(("Old words", "Old words"), (cachedBefore, feedBefore));
        Assert.Equal("New words", AltOf(await reader.GetPageAsync(leftToLibrary.Path)));
        Assert.Equal("New words", await FeedAltAsync(reader, leftToLibrary.Title));
        Assert.Equal("The author's words", AltOf(await reader.GetPageAsync(ownWords.Path)));
        Assert.Equal(StaleHtml, BodyHtml(unrelated.Id));
        Assert.Equal(before, Saves(leftToLibrary.Id));
    }

    [Fact]
    public async Task ADeletedPictureLeavesItsDescriptionAsTextInPostsFeedsSearchAndThePreviewAndNoImage()
    {
        var (author, member) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;
        var picture = PictureSeeder.Insert(app, new PictureSeed { Width = 640, Height = 480, AltText = "Library words", UploadedBy = member.Id });
        var markdown = $"Before the picture.\n\n![A red kite over the ridge]({picture.MarkdownAddress})\n\nAfter it.";
        var described = await PublishAsync(author, markdown);
        var undescribed = await PublishAsync(author, $"Only this: ![]({picture.MarkdownAddress})");
        using var reader = new BlogClient(app);
        var shownBefore = (await reader.GetPageAsync(described.Path)).QuerySelectorAll($"img[src*='{picture.Hash}']").Length;
        _ = await FeedAltAsync(reader, described.Title);
        var before = Saves(described.Id);

        using var deleted = await author.PostAsync($"/admin/media/{picture.Id}/delete", new Dictionary<string, string> { ["confirm"] = "true" }, "/admin/media");
        var page = await reader.GetPageAsync(described.Path);
        var feedEntry = await FeedEntryAsync(reader, described.Title);
        var bare = await reader.GetPageAsync(undescribed.Path);
        using var preview = await author.PostAsync("/admin/preview", new Dictionary<string, string> { ["body"] = markdown }, "/admin/posts/new");
        var previewed = BlogClient.Parse("<body>" + await preview.Content.ReadAsStringAsync() + "</body>");
        var found = await reader.GetPageAsync("/search?q=kite+ridge");

        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(1, shownBefore);
        foreach (var shown in new[] { page.QuerySelector(".post-body")!, feedEntry, previewed.Body! })
        {
            Assert.Empty(shown.QuerySelectorAll("img, picture, source"));
            Assert.Equal("A red kite over the ridge", Assert.Single(shown.QuerySelectorAll("span.picture-gone")).TextContent);
        }
        Assert.DoesNotContain(picture.Hash, page.QuerySelector(".post-body")!.InnerHtml, StringComparison.Ordinal);
        Assert.Empty(bare.QuerySelector(".post-body")!.QuerySelectorAll("img, picture, .picture-gone"));
        Assert.Contains("Only this:", bare.QuerySelector(".post-body")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(found.QuerySelectorAll("main a"), a => a.TextContent.Contains(described.Title, StringComparison.Ordinal));
        Assert.Equal(before, Saves(described.Id));
        Assert.Equal(markdown, Markdown(described.Id));
    }

    [Fact]
    public async Task APictureThousandsOfPostsShowIsRenderedIntoThemABatchAtATimeLettingOtherWritersIn()
    {
        const int posts = 1_000;
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var signedIn = owner;
        var picture = PictureSeeder.Insert(app, new PictureSeed { AltText = "Before", WithFiles = false });
        var ids = PostSeeder.InsertMany(app, Enumerable.Range(0, posts).Select(i => new SeedPost { Title = $"Imported {i}", BodyHtml = StaleHtml }))
            .Select(post => post.Id).ToList();
        using (var db = app.OpenDatabase())
        using (var transaction = db.BeginTransaction())
        {
            db.Execute("UPDATE posts SET body_markdown = @Markdown WHERE id = @Id", ids.Select(id => new { Id = id, Markdown = $"![]({picture.MarkdownAddress})" }), transaction);
            db.Execute("INSERT INTO post_media (post_id, media_id) VALUES (@Id, @MediaId)", ids.Select(id => new { Id = id, MediaId = picture.Id }), transaction);
            transaction.Commit();
        }
        var database = app.Services.GetRequiredService<BlogDatabase>();
        var seenByOtherWriters = new List<int>();

        var describe = owner.PostAsync($"/admin/media/{picture.Id}/alt", new Dictionary<string, string> { ["altText"] = "After" }, "/admin/media");
        while (!describe.IsCompleted)
        {
            // Another writer's turn: what it sees is what the re-render has committed so far.
            await using var write = await database.BeginWriteAsync();
            seenByOtherWriters.Add(await write.Connection.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM posts WHERE id BETWEEN @First AND @Last AND body_html LIKE '%alt=\"After\"%'",
                new { First = ids[0], Last = ids[^1] }, write.Transaction));
        }
        using var described = await describe;

        Assert.Equal(HttpStatusCode.Redirect, described.StatusCode);
        Assert.Equal(posts, RenderedWith(ids, "After"));
        Assert.Contains(seenByOtherWriters, seen => seen > 0 && seen < posts);
        Assert.All(seenByOtherWriters, seen => Assert.Equal(0, seen % PostRerenderer.BatchSize));
    }

    private const string StaleHtml = "<p>Rendered before the library changed.</p>";

    private sealed record Published(long Id, string Title, string Path);

    private async Task<Published> PublishAsync(BlogClient author, string body)
    {
        var title = "Pictured " + Guid.NewGuid().ToString("N")[..8];
        var response = await author.SubmitFormAsync("/admin/posts/new", new Dictionary<string, string> { ["Title"] = title, ["Body"] = body, ["Command"] = "publish" });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await BlogClient.TextOfAsync(response));
        var id = long.Parse(response.Headers.Location!.OriginalString.Split('/')[^2], CultureInfo.InvariantCulture);
        return new Published(id, title, CommentTestData.PostPath(app, id));
    }

    private static string? AltOf(AngleSharp.Html.Dom.IHtmlDocument page) => page.QuerySelector(".post-body img")?.GetAttribute("alt");

    private static async Task<string?> FeedAltAsync(BlogClient reader, string title) =>
        (await FeedEntryAsync(reader, title)).QuerySelector("img")?.GetAttribute("alt");

    /// <summary>The HTML content of the Atom entry with this title, parsed.</summary>
    private static async Task<IElement> FeedEntryAsync(BlogClient reader, string title)
    {
        using var response = await reader.GetAsync("/feeds/posts/default");
        var entry = XDocument.Parse(await response.Content.ReadAsStringAsync()).Descendants(Atom + "entry")
            .Single(e => e.Element(Atom + "title")?.Value == title);
        return BlogClient.Parse("<body>" + entry.Element(Atom + "content")!.Value + "</body>").Body!;
    }

    /// <summary>What marks an author's save: the version, the "updated" date and the revisions.</summary>
    private (long Version, string UpdatedAt, int Revisions) Saves(long id)
    {
        using var db = app.OpenDatabase();
        return db.QuerySingle<(long, string, int)>(
            "SELECT version, updated_at, (SELECT COUNT(*) FROM post_revisions WHERE post_id = @Id) FROM posts WHERE id = @Id", new { Id = id });
    }

    private void Stale(long id)
    {
        using var db = app.OpenDatabase();
        db.Execute("UPDATE posts SET body_html = @Html WHERE id = @Id", new { Id = id, Html = StaleHtml });
    }

    private string BodyHtml(long id)
    {
        using var db = app.OpenDatabase();
        return db.ExecuteScalar<string>("SELECT body_html FROM posts WHERE id = @Id", new { Id = id })!;
    }

    private string Markdown(long id)
    {
        using var db = app.OpenDatabase();
        return db.ExecuteScalar<string>("SELECT body_markdown FROM posts WHERE id = @Id", new { Id = id })!;
    }

    private int RenderedWith(List<long> ids, string alt)
    {
        using var db = app.OpenDatabase();
        return db.ExecuteScalar<int>(
            "SELECT COUNT(*) FROM posts WHERE id BETWEEN @First AND @Last AND body_html LIKE @Alt",
            new { First = ids[0], Last = ids[^1], Alt = $"%alt=\"{alt}\"%" });
    }
}
