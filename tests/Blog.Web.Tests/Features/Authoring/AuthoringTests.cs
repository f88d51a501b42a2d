using System.Globalization;
using System.Net;
using Blog.Web.Data;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;

namespace Blog.Web.Tests.Features.Authoring;

public sealed class AuthoringTests(AuthoringAppFactory app) : IClassFixture<AuthoringAppFactory>
{
    private sealed record PostRow
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string AuthorId { get; init; } = "";
        public string Title { get; init; } = "";
        public string Subtitle { get; init; } = "";
        public string Slug { get; init; } = "";
        public string BodyMarkdown { get; init; } = "";
        public string BodyHtml { get; init; } = "";
        public string Excerpt { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTime? PublishedAt { get; init; }
        public bool AllowComments { get; init; }
    }

    [Fact]
    public async Task AuthorSavesADraftWithRenderedBodyLabelsAndSearchRow()
    {
        var (client, author) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var title = "Draft " + Guid.NewGuid().ToString("N")[..8];

        var id = await CreateAsync(client, new()
        {
            ["Title"] = title,
            ["Subtitle"] = "A <b>sub</b>title",
            ["Body"] = "Hello *world*.\n\n<script>alert(1)</script>",
            ["Labels"] = " Travel, travel ,Food,, FOOD ",
            ["AllowComments"] = "true",
            ["Command"] = "save",
        });

        var post = Post(id);
        Assert.Equal("post", post.Kind);
        Assert.Equal(author.Id, post.AuthorId);
        Assert.Equal("draft", post.Status);
        Assert.Null(post.PublishedAt);
        Assert.Equal("A <b>sub</b>title", post.Subtitle);
        Assert.Equal(title.ToLowerInvariant().Replace(' ', '-'), post.Slug);
        Assert.Equal("<p>Hello <em>world</em>.</p>", post.BodyHtml.Trim());
        Assert.Equal("Hello world.", post.Excerpt);
        Assert.True(post.AllowComments);
        Assert.Equal(["Food", "Travel"], Labels(id));
        using var db = app.OpenDatabase();
        var fts = db.QuerySingle<(string Title, string BodyText, string Labels)>(Dialect.Of(db).Text(SearchRow), new { Id = id });
        Assert.Equal((title, "Hello world.", "Travel Food"), fts);
    }

    [Fact]
    public async Task PublishingSetsTheTimeAndUnpublishingMakesADraftAgain()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var id = await CreateAsync(client, new() { ["Title"] = "To publish " + Guid.NewGuid().ToString("N")[..6], ["Body"] = "Text", ["Command"] = "save" });

        var published = await client.SubmitFormAsync($"/admin/posts/{id}/edit", new Dictionary<string, string> { ["Title"] = Post(id).Title, ["Command"] = "publish" });
        var afterPublish = Post(id);
        var editPage = await BlogClient.TextOfAsync(await client.GetAsync($"/admin/posts/{id}/edit"));
        var unpublished = await client.SubmitFormAsync($"/admin/posts/{id}/edit", new Dictionary<string, string> { ["Title"] = Post(id).Title, ["Command"] = "unpublish" });

        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        Assert.Equal("published", afterPublish.Status);
        // To the microsecond: PostgreSQL stores no finer (SQLite keeps every tick).
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, afterPublish.PublishedAt!.Value, TimeSpan.FromTicks(9));
        Assert.Contains("Published", editPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, unpublished.StatusCode);
        Assert.Equal("draft", Post(id).Status);
        Assert.Null(Post(id).PublishedAt);
    }

    [Fact]
    public async Task SchedulingStoresTheBlogLocalTimeInUtc()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var localTomorrow = app.Clock.GetUtcNow().UtcDateTime.AddDays(2).Date.AddHours(9).AddMinutes(30);

        var id = await CreateAsync(client, new()
        {
            ["Title"] = "Scheduled " + Guid.NewGuid().ToString("N")[..6],
            ["Body"] = "Later",
            ["ScheduleDate"] = localTomorrow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["ScheduleTime"] = "09:30",
            ["Command"] = "schedule",
        });
        var list = await BlogClient.TextOfAsync(await client.GetAsync("/admin/posts?status=scheduled"));

        Assert.Equal("published", Post(id).Status);
        Assert.Equal(localTomorrow, Post(id).PublishedAt);
        Assert.Contains(Post(id).Title, list, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-date", "09:30", "Enter the date to publish on")]
    [InlineData("2030-02-30", "09:30", "Enter the date to publish on")]
    [InlineData("2030-01-01", "25:61", "Enter the time to publish at")]
    [InlineData("2001-01-01", "09:30", "Choose a time in the future")]
    public async Task InvalidScheduleDatesAreRefusedAndTheTextIsKept(string date, string time, string message)
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var title = "Bad date " + Guid.NewGuid().ToString("N")[..6];

        var response = await client.SubmitFormAsync("/admin/posts/new", new Dictionary<string, string>
        {
            ["Title"] = title, ["Body"] = "My *precious* words", ["ScheduleDate"] = date, ["ScheduleTime"] = time, ["Command"] = "schedule",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
        Assert.Contains($"value=\"{title}\"", html, StringComparison.Ordinal);
        Assert.Contains("My *precious* words", html, StringComparison.Ordinal);
        Assert.Equal(0, CountWhere("title = @Title", new { Title = title }));
    }

    [Fact]
    public async Task ADateOrTimeThatIsNoneIsQuotedInTheMessageAndLeftOutOfTheDateInputs()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);

        using var badDate = await client.SubmitFormAsync("/admin/posts/new", new Dictionary<string, string>
        {
            ["Title"] = "Someday", ["ScheduleDate"] = "next <b>Tuesday</b>", ["ScheduleTime"] = "09:30", ["Command"] = "schedule",
        });
        using var badTime = await client.SubmitFormAsync("/admin/posts/new", new Dictionary<string, string>
        {
            ["Title"] = "Someday", ["ScheduleDate"] = "2030-01-31", ["ScheduleTime"] = "teatime", ["Command"] = "schedule",
        });
        var datePage = BlogClient.Parse(await badDate.Content.ReadAsStringAsync());
        var timePage = BlogClient.Parse(await badTime.Content.ReadAsStringAsync());

        Assert.Equal("Enter the date to publish on, like 2030-01-31. “next <b>Tuesday</b>” is not a date.", datePage.QuerySelector("#ScheduleDate-error")!.TextContent);
        Assert.False(datePage.QuerySelector("#ScheduleDate")!.HasAttribute("value"));
        Assert.Equal("09:30", datePage.QuerySelector("#ScheduleTime")!.GetAttribute("value"));
        Assert.Equal("Enter the time to publish at, like 09:30. “teatime” is not a time.", timePage.QuerySelector("#ScheduleTime-error")!.TextContent);
        Assert.Equal("2030-01-31", timePage.QuerySelector("#ScheduleDate")!.GetAttribute("value"));
        Assert.False(timePage.QuerySelector("#ScheduleTime")!.HasAttribute("value"));
    }

    [Fact]
    public async Task PreviewShowsTheSanitizedBodyAndSavesNothing()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var title = "Preview " + Guid.NewGuid().ToString("N")[..6];

        var response = await client.SubmitFormAsync("/admin/posts/new", new Dictionary<string, string>
        {
            ["Title"] = title, ["Body"] = "## Look\n\n<img src=x onerror=alert(1)>**bold**", ["Command"] = "preview",
        });
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Look", page.QuerySelector("#preview-body h2")?.TextContent);
        Assert.Equal("bold", page.QuerySelector("#preview-body strong")?.TextContent);
        Assert.Null(page.QuerySelector("#preview-body [onerror]"));
        Assert.False(page.QuerySelector("#preview")!.HasAttribute("hidden"));
        Assert.Equal(0, CountWhere("title = @Title", new { Title = title }));
    }

    [Fact]
    public async Task LivePreviewEndpointRendersWithTheAntiforgeryToken()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);

        var rendered = await client.PostAsync("/admin/preview", new Dictionary<string, string> { ["body"] = "*hi*<script>x()</script>" }, "/admin/posts/new");
        var withoutToken = await client.Http.PostAsync("/admin/preview", new FormUrlEncodedContent(new Dictionary<string, string> { ["body"] = "x" }));

        Assert.Equal("<p><em>hi</em></p>\n", await rendered.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
    }

    [Fact]
    public async Task EmptyTitleAndOversizedBodyAreRefusedWithTheirMessages()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var body = "Start " + new string('x', 6000);

        var response = await client.SubmitFormAsync("/admin/posts/new", new Dictionary<string, string>
        {
            ["Title"] = "  ", ["Subtitle"] = "kept subtitle", ["Body"] = body, ["Labels"] = "kept, labels", ["Command"] = "publish",
        });
        var text = await BlogClient.TextOfAsync(response);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Give it a title.", text, StringComparison.Ordinal);
        Assert.Contains("the limit is 5,000", text, StringComparison.Ordinal);
        Assert.Contains("value=\"kept subtitle\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"kept, labels\"", html, StringComparison.Ordinal);
        Assert.Contains(body, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GeneratedSlugsGetASuffixButATypedDuplicateIsAnError()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var title = "Same title " + Guid.NewGuid().ToString("N")[..6];

        var first = await CreateAsync(client, new() { ["Title"] = title, ["Command"] = "save" });
        var second = await CreateAsync(client, new() { ["Title"] = title, ["Command"] = "save" });
        var typed = await client.SubmitFormAsync("/admin/posts/new", new Dictionary<string, string>
        {
            ["Title"] = "Another", ["Slug"] = Post(first).Slug, ["Command"] = "save",
        });

        Assert.Equal(Post(first).Slug + "-2", Post(second).Slug);
        Assert.Equal(HttpStatusCode.OK, typed.StatusCode);
        Assert.Contains("already uses the address", await BlogClient.TextOfAsync(typed), StringComparison.Ordinal);
        Assert.Equal(0, CountWhere("title = 'Another' AND slug = @Slug", new { Post(first).Slug }));
    }

    [Fact]
    public async Task ATypedAddressMayBeAsLongAsASlugAndNoLonger()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var longest = Guid.NewGuid().ToString("N") + new string('a', Blog.Web.Content.Slugs.MaxLength - 32);
        var tooLong = longest + "b";

        var accepted = await CreateAsync(client, new() { ["Title"] = "Longest address", ["Slug"] = longest, ["Command"] = "save" });
        var refused = await client.SubmitFormAsync("/admin/posts/new", new Dictionary<string, string>
        {
            ["Title"] = "Too long an address", ["Slug"] = tooLong, ["Command"] = "save",
        });
        var page = BlogClient.Parse(await refused.Content.ReadAsStringAsync());

        Assert.Equal(longest, Post(accepted).Slug);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal($"Keep the address to {Blog.Web.Content.Slugs.MaxLength} characters or fewer.", page.QuerySelector("#Slug-error")!.TextContent);
        Assert.Equal(tooLong, page.QuerySelector("input[name=Slug]")!.GetAttribute("value"));
        Assert.Equal(0, CountWhere("title = 'Too long an address'", null));
    }

    [Fact]
    public async Task ManyPostsWithOneLongTitleEachGetTheirOwnSlug()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        // Long enough that the slug fills all 80 characters, so every suffix cuts into it.
        var title = Guid.NewGuid().ToString("N")[..8] + string.Concat(Enumerable.Repeat(" a long title word", 6));

        var ids = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await CreateAsync(client, new() { ["Title"] = title, ["Command"] = "save" }));
        }

        var slugs = ids.Select(id => Post(id).Slug).ToList();
        Assert.Equal(4, slugs.Distinct().Count());
        Assert.All(slugs, slug => Assert.True(slug.Length <= Blog.Web.Content.Slugs.MaxLength, slug));
        Assert.EndsWith("-4", slugs[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangingAPublishedSlugKeepsTheOldOneAsARedirect()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var id = await CreateAsync(client, new() { ["Title"] = "Moving " + Guid.NewGuid().ToString("N")[..6], ["Command"] = "publish" });
        var oldSlug = Post(id).Slug;

        var response = await client.SubmitFormAsync($"/admin/posts/{id}/edit", new Dictionary<string, string>
        {
            ["Title"] = Post(id).Title, ["Slug"] = "Moved Here " + id, ["Command"] = "save",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("moved-here-" + id, Post(id).Slug);
        using var db = app.OpenDatabase();
        Assert.Equal(id, db.QuerySingle<long>("SELECT post_id FROM post_slug_redirects WHERE kind = 'post' AND old_slug = @OldSlug", new { OldSlug = oldSlug }));
    }

    [Fact]
    public async Task DeletingAsksFirstThenRemovesThePostAndItsSearchRow()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var label = "gone-" + Guid.NewGuid().ToString("N")[..6];
        var id = await CreateAsync(client, new() { ["Title"] = "Doomed", ["Labels"] = label, ["Command"] = "publish" });

        var confirm = await client.GetAsync($"/admin/posts/{id}/delete");
        var stillThere = CountWhere("id = @Id", new { Id = id });
        var deleted = await client.SubmitFormAsync($"/admin/posts/{id}/delete", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Equal(1, stillThere);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(0, CountWhere("id = @Id", new { Id = id }));
        using var db = app.OpenDatabase();
        Assert.Empty(db.Query(Dialect.Of(db).Text(SearchRow), new { Id = id }));
        Assert.Equal(0, db.QuerySingle<int>("SELECT COUNT(*) FROM labels WHERE name = @Label", new { Label = label }));
    }

    [Fact]
    public async Task PagesUseTheSameEditorWithTheirOwnKind()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);

        var id = await CreateAsync(client, new() { ["Title"] = "About " + Guid.NewGuid().ToString("N")[..6], ["Command"] = "publish" }, "pages");
        var asPost = await client.GetAsync($"/admin/posts/{id}/edit");

        Assert.Equal("page", Post(id).Kind);
        Assert.Equal(HttpStatusCode.NotFound, asPost.StatusCode);
    }

    [Fact]
    public async Task TheListShowsOnlyTheAuthorsOwnPostsButTheOwnerSeesAll()
    {
        var (alice, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var (bob, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        var aliceTitle = "Alice " + Guid.NewGuid().ToString("N")[..6];
        await CreateAsync(alice, new() { ["Title"] = aliceTitle, ["Command"] = "save" });

        var bobList = await BlogClient.TextOfAsync(await bob.GetAsync("/admin/posts"));
        var ownerList = await BlogClient.TextOfAsync(await owner.GetAsync("/admin/posts?status=draft"));

        Assert.DoesNotContain(aliceTitle, bobList, StringComparison.Ordinal);
        Assert.Contains(aliceTitle, ownerList, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheListShowsTwentyAtATimeAndPagesToTheRest()
    {
        var (client, author) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var tag = Guid.NewGuid().ToString("N")[..6];
        var edited = new DateTime(2025, 1, 1, 12, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 23; i++)
        {
            PostSeeder.Insert(app, new SeedPost
            {
                Title = $"Paged {tag} {i:00}", Status = "draft", PublishedAt = null, UpdatedAt = edited.AddMinutes(i), AuthorId = author.Id,
            });
        }

        var first = await client.GetPageAsync("/admin/posts");
        var second = await client.GetPageAsync("/admin/posts?page=2");
        var drafts = await client.GetPageAsync("/admin/posts?status=draft&page=2");
        var beyond = await client.GetPageAsync("/admin/posts?page=9");

        static string[] Titles(AngleSharp.Html.Dom.IHtmlDocument page) =>
            [.. page.QuerySelectorAll(".post-admin-title").Select(a => a.TextContent.Trim())];
        Assert.Equal([.. Enumerable.Range(3, 20).Reverse().Select(i => $"Paged {tag} {i:00}")], Titles(first));
        Assert.Equal([$"Paged {tag} 02", $"Paged {tag} 01", $"Paged {tag} 00"], Titles(second));
        Assert.Equal("Page 1 of 2", first.QuerySelector(".pager span")!.TextContent);
        Assert.Equal("/admin/posts?page=2", first.QuerySelector(".pager a")!.GetAttribute("href"));
        Assert.Equal("Page 2 of 2", second.QuerySelector(".pager span")!.TextContent);
        Assert.Equal(["/admin/posts?page=1"], second.QuerySelectorAll(".pager a").Select(a => a.GetAttribute("href")));
        Assert.Equal(Titles(second), Titles(drafts));
        Assert.Equal(["/admin/posts?status=draft&page=1"], drafts.QuerySelectorAll(".pager a").Select(a => a.GetAttribute("href")));
        Assert.Equal(Titles(second), Titles(beyond));
    }

    [Fact]
    public async Task AnAuthorCannotEditAnotherAuthorsPostButTheOwnerCan()
    {
        var (alice, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var (bob, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        var id = await CreateAsync(alice, new() { ["Title"] = "Alice's own", ["Body"] = "original", ["Command"] = "save" });

        var bobGet = await bob.GetAsync($"/admin/posts/{id}/edit");
        var bobPost = await bob.PostAsync($"/admin/posts/{id}/edit", new Dictionary<string, string> { ["Title"] = "Hijacked", ["Command"] = "publish" }, "/admin/posts/new");
        var bobDelete = await bob.PostAsync($"/admin/posts/{id}/delete", new Dictionary<string, string>(), "/admin/posts/new");
        var unchanged = Post(id);
        var ownerEdit = await owner.SubmitFormAsync($"/admin/posts/{id}/edit", new Dictionary<string, string> { ["Title"] = "Edited by owner", ["Command"] = "save" });

        Assert.Equal(HttpStatusCode.Forbidden, bobGet.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bobPost.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bobDelete.StatusCode);
        Assert.Equal(("Alice's own", "draft"), (unchanged.Title, unchanged.Status));
        Assert.Equal(HttpStatusCode.Redirect, ownerEdit.StatusCode);
        Assert.Equal("Edited by owner", Post(id).Title);
        Assert.Equal(unchanged.AuthorId, Post(id).AuthorId);
    }

    [Theory]
    [InlineData("/admin/posts")]
    [InlineData("/admin/posts/new")]
    [InlineData("/admin/pages")]
    [InlineData("/admin/settings")]
    public async Task AnonymousVisitorsAreSentToSignIn(string path)
    {
        using var client = new BlogClient(app);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MemberRole.Reader, false)]
    [InlineData(MemberRole.Member, false)]
    [InlineData(MemberRole.Author, true)]
    public async Task NonAuthorsAndBannedAuthorsGetForbiddenAndNothingIsWritten(MemberRole role, bool banAfterSignIn)
    {
        var (client, member) = await BlogClient.SignedInAsync(app, role);
        var token = await client.AntiforgeryTokenAsync("/");
        if (banAfterSignIn)
        {
            using var db = app.OpenDatabase();
            db.Execute("UPDATE members SET banned_at = '2026-01-01 00:00:00.0000000' WHERE id = @Id", new { member.Id });
        }
        var before = CountWhere("1 = 1", null);

        var list = await client.GetAsync("/admin/posts");
        var create = await client.Http.PostAsync("/admin/posts/new", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [BlogClient.AntiforgeryField] = token, ["Title"] = "Sneaky", ["Command"] = "publish",
        }));
        var settings = await client.GetAsync("/admin/settings");

        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, settings.StatusCode);
        Assert.Equal(before, CountWhere("1 = 1", null));
    }

    private static async Task<long> CreateAsync(BlogClient client, Dictionary<string, string> fields, string section = "posts")
    {
        var response = await client.SubmitFormAsync($"/admin/{section}/new", fields);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await BlogClient.TextOfAsync(response));
        var segments = response.Headers.Location!.OriginalString.Split('/');
        return long.Parse(segments[^2], CultureInfo.InvariantCulture);
    }

    /// <summary>The post's search row, as the editor writes it in the post's own transaction.</summary>
    private static readonly DialectSql SearchRow = new(
        Sqlite: "SELECT title, body_text, labels FROM posts_fts WHERE rowid = @Id",
        PostgreSql: "SELECT title, body_text, labels FROM posts_search WHERE post_id = @Id");

    private PostRow Post(long id)
    {
        using var db = app.OpenDatabase();
        return db.QuerySingle<PostRow>("SELECT * FROM posts WHERE id = @Id", new { Id = id });
    }

    private List<string> Labels(long id)
    {
        using var db = app.OpenDatabase();
        return db.Query<string>(
            "SELECT l.name FROM post_labels pl JOIN labels l ON l.id = pl.label_id WHERE pl.post_id = @Id ORDER BY l.name", new { Id = id }).AsList();
    }

    private int CountWhere(string where, object? parameters)
    {
        using var db = app.OpenDatabase();
        return db.QuerySingle<int>("SELECT COUNT(*) FROM posts WHERE " + where, parameters);
    }
}
