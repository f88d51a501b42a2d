using AngleSharp.Html.Dom;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Reading;

/// <summary>Home, label and archive lists say how many comments each post has, counted as its comment section counts them.</summary>
public sealed class CommentCountListingTests(CommentCountListingTests.Blog app) : IClassFixture<CommentCountListingTests.Blog>
{
    private static readonly DateTime Published = new(2025, 3, 14, 9, 0, 0, DateTimeKind.Utc);

    /// <summary>Three posts labelled "Counted" in March 2025, seeded once for the class.</summary>
    public sealed class Blog : BlogAppFactory
    {
        private Dictionary<string, string>? _seeded;

        /// <summary>Each seeded post's address by its title.</summary>
        public Dictionary<string, string> Paths => _seeded ??= Seed();

        private Dictionary<string, string> Seed()
        {
            var paths = new Dictionary<string, string>();
            // Quiet: no comments. Single: one approved, plus one held and one removed that readers cannot see. Busy: three.
            foreach (var (title, offset) in new[] { ("Quiet post", 0), ("Single post", 1), ("Busy post", 2) })
            {
                var at = Published.AddHours(offset);
                var (id, slug) = PostSeeder.Insert(this, new SeedPost { Title = title, PublishedAt = at, Labels = ["Counted"] });
                paths[title] = PostUrls.PostPath(at, slug, TimeZoneInfo.Utc);
                var comments = title switch
                {
                    "Single post" => new[] { ("approved", false), ("held", false), ("approved", true) },
                    "Busy post" => [("approved", false), ("approved", false), ("approved", false)],
                    _ => [],
                };
                foreach (var (status, removed) in comments)
                {
                    CommentTestData.Execute(this, """
                        INSERT INTO comments (post_id, body_markdown, body_html, status, removed_at, removed_by, created_at)
                        VALUES (@PostId, 'Hello', '<p>Hello</p>', @Status, @RemovedAt, @RemovedBy, @CreatedAt)
                        """, new
                    {
                        PostId = id,
                        Status = status,
                        RemovedAt = removed ? TestDatabase.StoredTime(at.AddHours(2)) : null,
                        RemovedBy = removed ? "admin" : null,
                        CreatedAt = TestDatabase.StoredTime(at.AddHours(1)),
                    });
                }
            }
            ForgetCachedPages();
            return paths;
        }
    }

    /// <summary>Read when the test starts, which seeds the blog before its first request.</summary>
    private readonly Dictionary<string, string> _paths = app.Paths;

    [Theory]
    [InlineData("/")]
    [InlineData("/search/label/Counted")]
    [InlineData("/2025/03/")]
    public async Task EachListedPostShowsItsVisibleCommentCountLinkingToItsComments(string url)
    {
        using var client = new BlogClient(app);

        var page = await client.GetPageAsync(url);

        Assert.Equal(("No comments", _paths["Quiet post"] + "#comments"), CountOf(page, "Quiet post"));
        Assert.Equal(("1 comment", _paths["Single post"] + "#comments"), CountOf(page, "Single post"));
        Assert.Equal(("3 comments", _paths["Busy post"] + "#comments"), CountOf(page, "Busy post"));
    }

    [Fact]
    public async Task ListCountAgreesWithTheHeadingOfThePostsCommentSection()
    {
        using var client = new BlogClient(app);

        var home = await client.GetPageAsync("/");
        var post = await client.GetPageAsync(_paths["Single post"]);

        Assert.Equal(post.QuerySelector("#comments-heading")!.TextContent.Trim(), CountOf(home, "Single post").Text);
    }

    [Theory]
    [InlineData(0, "No comments")]
    [InlineData(1, "1 comment")]
    [InlineData(2, "2 comments")]
    [InlineData(1234, "1,234 comments")]
    public async Task CountIsWordedForNoneOneAndMany(int count, string expected)
    {
        var site = await app.Services.GetRequiredService<SiteSettingsStore>().GetAsync(CancellationToken.None);

        var item = PostListing.ToItem(new PostSummary { Title = "T", Slug = "t", PublishedAt = Published, CommentCount = count }, site);

        Assert.Equal(expected, item.CommentCountText);
        Assert.Equal(count, item.CommentCount);
    }

    /// <summary>The visible words of a listed post's comment link and where it goes.</summary>
    private static (string Text, string Href) CountOf(IHtmlDocument page, string title)
    {
        var article = page.QuerySelectorAll(".post-summary").Single(a => a.QuerySelector("h2")!.TextContent.Trim() == title);
        var link = article.QuerySelector("a.comment-count")!;
        return (link.TextContent.Trim(), link.GetAttribute("href")!);
    }
}
