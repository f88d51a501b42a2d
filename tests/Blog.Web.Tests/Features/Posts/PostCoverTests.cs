using System.Globalization;
using System.Net;
using System.Text.Json;
using Blog.Web.Features.Authoring;
using Blog.Web.Features.Media;
using Blog.Web.Features.Posts;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Posts;

/// <summary>
/// A post's cover and body pictures as the editor saves them (cover_media_id, post_media in the post's transaction),
/// and as readers see them: large on the post page, small in lists (read with the list, no query per post), and
/// as the picture of link previews.
/// </summary>
public sealed class PostCoverTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    [Fact]
    public async Task SavingAPostStoresItsCoverAndEveryPictureItShows()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var (first, second, cover) = (Picture("First"), Picture("Second"), Picture("Cover"));
        var title = "Pictured " + Guid.NewGuid().ToString("N")[..8];

        var id = await SaveAsync(client, "/admin/posts/new", new()
        {
            ["Title"] = title,
            ["Body"] = $"![]({first.MarkdownAddress})\n\nText.\n\n![]({second.MarkdownAddress})\n\n![again]({first.MarkdownAddress})",
            ["CoverMediaId"] = cover.Id.ToString(CultureInfo.InvariantCulture),
            ["Command"] = "publish",
        });
        var saved = (Cover(id), Used(id));
        await SaveAsync(client, $"/admin/posts/{id}/edit", new()
        {
            ["Title"] = title,
            ["Body"] = $"Only one now: ![]({second.MarkdownAddress})",
            ["CoverMediaId"] = "",
            ["Command"] = "save",
        });

        Assert.Equal(cover.Id, saved.Item1);
        Assert.Equal([.. new[] { first.Id, second.Id, cover.Id }.Order()], saved.Item2);
        Assert.Null(Cover(id));
        Assert.Equal([second.Id], Used(id));
    }

    [Theory]
    [InlineData("999999999")]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1 OR 1=1")]
    [InlineData("99999999999999999999999")]
    public async Task ACoverThatIsNotInTheLibraryIsRefusedWithTheFormKept(string coverId)
    {
        var (client, author) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var title = "Refused cover " + Guid.NewGuid().ToString("N")[..8];

        var response = await client.SubmitFormAsync("/admin/posts/new", new Dictionary<string, string>
        {
            ["Title"] = title,
            ["Body"] = "The body I typed.",
            ["CoverMediaId"] = coverId,
            ["Command"] = "publish",
        });
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());
        var outcome = await app.Services.GetRequiredService<PostCommands>().SaveAsync(new PostSave
        {
            Kind = ContentKind.Post,
            Form = new PostForm { Title = title, Body = "The body I typed.", CoverMediaId = coverId, Command = EditorCommand.Publish },
            EditorId = author.Id,
            FormIsValid = true,
        }, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(title, page.QuerySelector("#Title")!.GetAttribute("value"));
        Assert.Null(outcome.SavedId);
        var error = Assert.Single(outcome.Errors);
        Assert.Equal((nameof(PostForm.CoverMediaId), true), (error.Field, error.Message.StartsWith("That cover picture is not in the library", StringComparison.Ordinal)));
        Assert.Equal("The body I typed.", page.QuerySelector("#Body")!.TextContent.Trim());
        using var db = app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<int>("SELECT COUNT(*) FROM posts WHERE title = @Title", new { Title = title }));
    }

    [Fact]
    public async Task ThePostPageShowsTheCoverFirstAndLinkPreviewsUseIt()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var cover = PictureSeeder.Insert(app, 2000, 1000, altText: "Sunrise over the bay");
        var inBody = Picture("In the body");
        var id = await SaveAsync(client, "/admin/posts/new", new()
        {
            ["Title"] = "With a cover " + Guid.NewGuid().ToString("N")[..8],
            ["Body"] = $"![]({inBody.MarkdownAddress})",
            ["CoverMediaId"] = cover.Id.ToString(CultureInfo.InvariantCulture),
            ["Command"] = "publish",
        });

        var page = await new BlogClient(app).GetPageAsync(PathOf(id));

        var coverImage = page.QuerySelector(".post-cover picture img")!;
        Assert.Equal(("Sunrise over the bay", "2000", "1000"), (coverImage.GetAttribute("alt"), coverImage.GetAttribute("width"), coverImage.GetAttribute("height")));
        Assert.Equal(("eager", "high"), (coverImage.GetAttribute("loading"), coverImage.GetAttribute("fetchpriority")));
        var bodyImage = page.QuerySelector(".post-body picture img")!;
        Assert.Null(bodyImage.GetAttribute("fetchpriority"));
        var ogImage = $"http://localhost/media/{cover.Hash}-1600.jpg";
        Assert.Equal(ogImage, Meta(page, "property", "og:image"));
        Assert.Equal(("1600", "800"), (Meta(page, "property", "og:image:width"), Meta(page, "property", "og:image:height")));
        Assert.Equal("Sunrise over the bay", Meta(page, "property", "og:image:alt"));
        Assert.Equal("summary_large_image", Meta(page, "name", "twitter:card"));
        Assert.Equal(ogImage, Meta(page, "name", "twitter:image"));
        using var json = JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent);
        Assert.Equal(ogImage, json.RootElement.GetProperty("image").GetString());
    }

    // SQLite by nature: records statements with SQLite's trace hook.
    [Trait("Database", "Sqlite")]
    [Fact]
    public async Task ListsShowEachCoverFromTheListQueryItself()
    {
        var label = "Covers" + Guid.NewGuid().ToString("N")[..6];
        var covers = Enumerable.Range(0, 3).Select(i => Picture("Cover " + i)).ToList();
        var posts = PostSeeder.InsertMany(app, covers.Select((_, i) => new SeedPost { Title = $"Covered {i}", Labels = [label], PublishedAt = DateTime.UtcNow.AddMinutes(-i) }));
        PostSeeder.Insert(app, new SeedPost { Title = "No cover", Labels = [label], PublishedAt = DateTime.UtcNow.AddMinutes(-10) });
        using (var db = app.OpenDatabase())
        {
            foreach (var ((postId, _), cover) in posts.Zip(covers))
            {
                db.Execute("UPDATE posts SET cover_media_id = @Cover WHERE id = @Id", new { Cover = cover.Id, Id = postId });
            }
        }
        app.ForgetCachedPages();
        using var client = new BlogClient(app);

        var statements = await StatementRecorder.RecordAsync(app, async () =>
        {
            using var home = await client.GetAsync("/");
            using var labelPage = await client.GetAsync(PostUrls.LabelPath(label));
        });
        var listed = await client.GetPageAsync(PostUrls.LabelPath(label));

        var items = listed.QuerySelectorAll(".post-list > li").ToList();
        Assert.Equal(4, items.Count);
        foreach (var (item, cover) in items.Take(3).Zip(covers))
        {
            var image = item.QuerySelector(".post-summary-cover picture img")!;
            Assert.Equal((MediaAddresses.PathOf(cover.Hash, 800, MediaFormat.Jpeg), "", "800", "600", "lazy"),
                (image.GetAttribute("src"), image.GetAttribute("alt"), image.GetAttribute("width"), image.GetAttribute("height"), image.GetAttribute("loading")));
            Assert.Equal(PostListing.CoverSizes, image.GetAttribute("sizes"));
        }
        Assert.Null(items[3].QuerySelector("picture"));
        Assert.All(statements.Where(s => s.Contains("media", StringComparison.Ordinal)), s => Assert.Contains("LEFT JOIN media c ON c.id = p.cover_media_id", s, StringComparison.Ordinal));
        Assert.Equal(2, statements.Count(s => s.Contains("LEFT JOIN media c", StringComparison.Ordinal)));
    }

    private SeededPicture Picture(string alt) => PictureSeeder.Insert(app, 800, 600, altText: alt);

    private static string? Meta(AngleSharp.Html.Dom.IHtmlDocument page, string attribute, string name) =>
        page.QuerySelector($"meta[{attribute}='{name}']")?.GetAttribute("content");

    private static async Task<long> SaveAsync(BlogClient client, string url, Dictionary<string, string> fields)
    {
        var response = await client.SubmitFormAsync(url, fields);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await BlogClient.TextOfAsync(response));
        return long.Parse(response.Headers.Location!.OriginalString.Split('/')[^2], CultureInfo.InvariantCulture);
    }

    private long? Cover(long postId)
    {
        using var db = app.OpenDatabase();
        return db.ExecuteScalar<long?>("SELECT cover_media_id FROM posts WHERE id = @Id", new { Id = postId });
    }

    private List<long> Used(long postId)
    {
        using var db = app.OpenDatabase();
        return [.. db.Query<long>("SELECT media_id FROM post_media WHERE post_id = @Id ORDER BY media_id", new { Id = postId })];
    }

    private string PathOf(long postId)
    {
        using var db = app.OpenDatabase();
        var (slug, published) = db.QuerySingle<(string, string)>("SELECT slug, published_at FROM posts WHERE id = @Id", new { Id = postId });
        return PostUrls.PostPath(DateTime.Parse(published, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), slug, TimeZoneInfo.Utc);
    }
}
