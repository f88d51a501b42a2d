using System.Globalization;
using System.Net;
using Blog.Web.Data;
using Blog.Web.Features.Import;
using Blog.Web.Tests.Infrastructure;
using Dapper;

namespace Blog.Web.Tests.Features.Import.Engine;

public sealed class ImportRunnerTests(ImportEngineAppFactory app) : IClassFixture<ImportEngineAppFactory>
{
    private static readonly DateTimeOffset May2012 = new(2012, 5, 14, 9, 30, 0, TimeSpan.Zero);

    /// <summary>A small blog: a post with labels and a thread, a page, and an item of every kind the engine skips.</summary>
    private static List<ImportedItem> SmallBlog(string key) =>
    [
        new ImportedBlog { SourceId = key, SourceKey = key, Title = "Old blog", Address = $"https://{key}.example.org/" },
        new ImportedLabel { SourceId = "cat-1", Name = "Garden Notes", Slug = "garden-notes-" + key, Line = 3 },
        Post(key, "p1", "First light " + key, "<p>Morning <em>words</em>.</p>", labels: ["Garden Notes", "Sun"]),
        new ImportedPost
        {
            SourceId = "pg1", Kind = "page", Title = "About me", Slug = "about-" + key, Html = "<p>Who writes here.</p>",
            PublishedAt = May2012, OldAddresses = [$"https://{key}.example.org/about/", $"/?page_id={PostNumber(key)}"], Line = 20,
        },
        Comment("c1", "p1", null, "Lovely post", May2012.AddHours(1)),
        Comment("c2", "p1", "c1", "Thank you!", May2012.AddHours(2)),
        Comment("c3", "p1", null, "Buy pills", May2012.AddHours(3)) with { Status = ImportedCommentStatus.Spam },
        Comment("c4", "p1", null, "Linked here", May2012.AddHours(4)) with { CommentKind = ImportedCommentKind.Pingback },
        Comment("c5", "missing-post", null, "Orphan", May2012.AddHours(5)),
        Post(key, "p2", "Binned", "<p>Gone</p>") with { Status = ImportedPostStatus.Trashed },
    ];

    private static ImportedPost Post(string key, string id, string title, string html, string[]? labels = null) => new()
    {
        SourceId = id,
        Kind = "post",
        Title = title,
        Slug = title.ToLowerInvariant().Replace(' ', '-'),
        Html = html,
        PublishedAt = May2012,
        Labels = labels ?? [],
        OldAddresses = [$"https://{key}.example.org/2012/05/{title.ToLowerInvariant().Replace(' ', '-')}.html", $"/?p={PostNumber(key + id)}"],
        Line = 10,
    };

    private static ImportedComment Comment(string id, string post, string? parent, string text, DateTimeOffset at) => new()
    {
        SourceId = id,
        PostSourceId = post,
        ParentSourceId = parent,
        AuthorName = "Ann Example",
        AuthorUrl = "https://ann.example.net/",
        AuthorEmail = "Ann@Example.net",
        Html = text,
        PublishedAt = at,
        Line = 40,
    };

    private static long PostNumber(string text) => Convert.ToInt64(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..12], 16);

    private static string Key() => "t" + Guid.NewGuid().ToString("N")[..10];

    private T Scalar<T>(string sql, object? parameters = null)
    {
        using var connection = app.OpenDatabase();
        return connection.ExecuteScalar<T>(sql, parameters)!;
    }

    private long LocalId(string key, string sourceId) =>
        Scalar<long>("SELECT local_id FROM imported_items WHERE source = @Key AND source_id = @SourceId", new { Key = key, SourceId = sourceId });

    [Fact]
    public async Task ImportWritesPostsPagesAndGuestCommentsWithTheirDatesLabelsAndSlugs()
    {
        var key = Key();

        var report = await app.ImportAsync(new FakeImportSource(SmallBlog(key)));

        Assert.Equal((2, 1, 0), (report.For(ImportKinds.Posts).Found, report.For(ImportKinds.Posts).Imported, report.For(ImportKinds.Posts).AlreadyImported));
        Assert.Equal(1, report.For(ImportKinds.Posts).Skipped["in the old blog's trash"]);
        Assert.Equal(1, report.For(ImportKinds.Pages).Imported);
        Assert.Equal((4, 2), (report.For(ImportKinds.Comments).Found, report.For(ImportKinds.Comments).Imported));
        Assert.Equal(1, report.For(ImportKinds.Comments).Skipped["marked as spam"]);
        Assert.Equal(1, report.For(ImportKinds.Comments).Skipped["its post is not in the file"]);
        Assert.Equal(1, report.For(ImportKinds.Pingbacks).SkippedTotal);
        Assert.Equal(["Garden Notes", "Sun"], report.Labels.Order());
        var postId = LocalId(key, "p1");
        using var connection = app.OpenDatabase();
        var post = connection.QuerySingle<(string Slug, string Status, DateTime PublishedAt, string BodyFormat, string BodyHtml)>(
            "SELECT slug, status, published_at, body_format, body_html FROM posts WHERE id = @Id", new { Id = postId });
        Assert.Equal(("first-light-" + key, "published", "html"), (post.Slug, post.Status, post.BodyFormat));
        Assert.Equal("2012-05-14 09:30:00", post.PublishedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        Assert.Contains("<em>words</em>", post.BodyHtml, StringComparison.Ordinal);
        Assert.Equal(["Garden Notes", "Sun"], connection.Query<string>(
            "SELECT l.name FROM post_labels pl JOIN labels l ON l.id = pl.label_id WHERE pl.post_id = @Id ORDER BY l.name", new { Id = postId }));
        Assert.Equal(1, connection.ExecuteScalar<int>(Dialect.Of(connection).Text(new DialectSql(
            Sqlite: "SELECT COUNT(*) FROM posts_fts WHERE posts_fts MATCH 'morning' AND rowid = @Id",
            PostgreSql: "SELECT COUNT(*) FROM posts_search WHERE document @@ to_tsquery('quire', 'morning') AND post_id = @Id")), new { Id = postId }));
        var reply = connection.QuerySingle<(string? AuthorId, string GuestName, string GuestUrl, string GuestEmail, long ParentId, int Depth, long RootId)>(
            "SELECT author_id, guest_name, guest_url, guest_email, parent_id, depth, root_id FROM comments WHERE id = @Id", new { Id = LocalId(key, "c2") });
        Assert.Equal((null, "Ann Example", "https://ann.example.net/", "ANN@EXAMPLE.NET"), (reply.AuthorId, reply.GuestName, reply.GuestUrl, reply.GuestEmail));
        Assert.Equal((LocalId(key, "c1"), 1, LocalId(key, "c1")), (reply.ParentId, reply.Depth, reply.RootId));
        using var client = app.CreateClient();
        var page = await client.GetStringAsync("/2012/05/first-light-" + key);
        Assert.Contains("Morning", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportingTheSameFileAgainChangesNothing()
    {
        var key = Key();
        await app.ImportAsync(new FakeImportSource(SmallBlog(key)));
        var before = await DatabaseSnapshot.TakeAsync(app);

        var again = await app.ImportAsync(new FakeImportSource(SmallBlog(key)));

        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(app));
        Assert.Equal((0, 1), (again.For(ImportKinds.Posts).Imported, again.For(ImportKinds.Posts).AlreadyImported));
        Assert.Equal((0, 1), (again.For(ImportKinds.Pages).Imported, again.For(ImportKinds.Pages).AlreadyImported));
        Assert.Equal((0, 2), (again.For(ImportKinds.Comments).Imported, again.For(ImportKinds.Comments).AlreadyImported));
        Assert.Equal(0, again.RedirectsCreated);
    }

    [Fact]
    public async Task DryRunReportsTheCountsAndWritesNothing()
    {
        var key = Key();
        var before = await DatabaseSnapshot.TakeAsync(app);
        var importer = await app.ImporterAsync();
        before = await DatabaseSnapshot.TakeAsync(app);

        var report = await app.ImportAsync(new FakeImportSource(SmallBlog(key)), dryRun: true, importerId: importer.Id);

        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(app));
        Assert.True(report.DryRun);
        Assert.Equal(1, report.For(ImportKinds.Posts).Imported);
        Assert.Equal(1, report.For(ImportKinds.Pages).Imported);
        Assert.Equal(2, report.For(ImportKinds.Comments).Imported);
        Assert.Equal(1, report.For(ImportKinds.Comments).Skipped["its post is not in the file"]);
        Assert.True(report.RedirectsCreated >= 4, $"{report.RedirectsCreated} redirects");
    }

    [Fact]
    public async Task RepliesAreThreadedWhateverTheirOrderAndFlattenedBelowTheDepthLimit()
    {
        var key = Key();
        // Newest first, as Blogger writes them: every reply comes before its parent. Five levels, on a blog of two.
        List<ImportedItem> items =
        [
            new ImportedBlog { SourceId = key, SourceKey = key },
            Comment("r4", "p", "r3", "four", May2012.AddHours(5)),
            Comment("r3", "p", "r2", "three", May2012.AddHours(4)),
            Comment("r2", "p", "r1", "two", May2012.AddHours(3)),
            Comment("r1", "p", "r0", "one", May2012.AddHours(2)),
            Comment("r0", "p", null, "zero", May2012.AddHours(1)),
            Post(key, "p", "Deep thread", "<p>Talk</p>"),
            Comment("loop-a", "p", "loop-b", "a", May2012.AddHours(6)),
            Comment("loop-b", "p", "loop-a", "b", May2012.AddHours(7)),
        ];

        var report = await app.ImportAsync(new FakeImportSource(items));

        using var connection = app.OpenDatabase();
        (long?, int) Row(string id) => connection.QuerySingle<(long?, int)>("SELECT parent_id, depth FROM comments WHERE id = @Id", new { Id = LocalId(key, id) });
        Assert.Equal((null, 0), Row("r0"));
        Assert.Equal((LocalId(key, "r0"), 1), Row("r1"));
        Assert.Equal((LocalId(key, "r1"), 2), Row("r2"));
        Assert.Equal((LocalId(key, "r1"), 2), Row("r3"));
        Assert.Equal((LocalId(key, "r1"), 2), Row("r4"));
        Assert.Equal(2, report.FlattenedReplies);
        Assert.Equal(7, report.For(ImportKinds.Comments).Imported);
        // A loop has no top: both become top-level comments rather than vanish.
        Assert.Equal(0, connection.ExecuteScalar<int>("SELECT COUNT(*) FROM comments WHERE id IN (@A, @B) AND parent_id IS NOT NULL AND depth = 0",
            new { A = LocalId(key, "loop-a"), B = LocalId(key, "loop-b") }));
        Assert.Equal(0, connection.ExecuteScalar<int>("SELECT COUNT(*) FROM comments c JOIN comments p ON p.id = c.parent_id WHERE c.depth <> p.depth + 1"));
    }

    [Fact]
    public async Task HeldCommentsGoToTheModerationQueueAndPrivatePostsAreNeverPublic()
    {
        var key = Key();
        List<ImportedItem> items =
        [
            new ImportedBlog { SourceId = key, SourceKey = key },
            Post(key, "open", "Open post", "<p>Open</p>"),
            Post(key, "secret", "Secret diary", "<p>Keep out</p>") with { Status = ImportedPostStatus.Private, PasswordProtected = true },
            Post(key, "later", "Coming soon", "<p>Soon</p>") with { Status = ImportedPostStatus.Scheduled, PublishedAt = DateTimeOffset.UtcNow.AddYears(5) },
            Comment("held", "open", null, "Please approve me", May2012) with { Status = ImportedCommentStatus.Held },
        ];

        var report = await app.ImportAsync(new FakeImportSource(items));

        Assert.Equal(["Secret diary"], report.PrivatePosts);
        using var connection = app.OpenDatabase();
        Assert.Equal(("draft", (string?)null), connection.QuerySingle<(string, string?)>("SELECT status, published_at FROM posts WHERE id = @Id", new { Id = LocalId(key, "secret") }));
        Assert.Equal("held", connection.ExecuteScalar<string>("SELECT status FROM comments WHERE id = @Id", new { Id = LocalId(key, "held") }));
        var (owner, _) = (await BlogClient.SignedInAsync(app, Blog.Web.Identity.MemberRole.Owner));
        using (owner)
        {
            Assert.Contains("Please approve me", await owner.Http.GetStringAsync("/admin/moderation"), StringComparison.Ordinal);
        }
        using var reader = app.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/2012/05/secret-diary")).StatusCode);
        Assert.DoesNotContain("Keep out", await reader.GetStringAsync("/search?q=keep"), StringComparison.Ordinal);
        Assert.DoesNotContain("Coming soon", await reader.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.Equal("published", connection.ExecuteScalar<string>("SELECT status FROM posts WHERE id = @Id", new { Id = LocalId(key, "later") }));
    }

    [Fact]
    public async Task OldAddressesOfPostsLabelsAndFeedsBecomeRedirectRows()
    {
        var key = Key();
        var items = SmallBlog(key);
        items.Add(new ImportedLabel { SourceId = "tag-1", Name = "Sun", Slug = "sun-" + key, IsTag = true });

        var report = await app.ImportAsync(new FakeImportSource(items, ExportFormat.WordPress));

        using var connection = app.OpenDatabase();
        var post = LocalId(key, "p1");
        Assert.Equal(post, connection.ExecuteScalar<long>("SELECT post_id FROM legacy_addresses WHERE address = @Address", new { Address = $"/2012/05/first-light-{key}.html" }));
        Assert.Equal(LocalId(key, "pg1"), connection.ExecuteScalar<long>("SELECT post_id FROM legacy_addresses WHERE address = @Address", new { Address = $"/?page_id={PostNumber(key)}" }));
        Assert.Equal("/search/label/Garden%20Notes", connection.ExecuteScalar<string>("SELECT target FROM legacy_addresses WHERE address = @Address", new { Address = $"/category/garden-notes-{key}" }));
        Assert.Equal("/feeds/posts/default/-/Garden%20Notes", connection.ExecuteScalar<string>("SELECT target FROM legacy_addresses WHERE address = @Address", new { Address = $"/category/garden-notes-{key}/feed" }));
        Assert.Equal("/search/label/Sun", connection.ExecuteScalar<string>("SELECT target FROM legacy_addresses WHERE address = @Address", new { Address = $"/tag/sun-{key}" }));
        Assert.Equal(connection.ExecuteScalar<int>("SELECT COUNT(*) FROM legacy_addresses WHERE post_id IN (@Post, @Page) OR address LIKE @Labels",
            new { Post = post, Page = LocalId(key, "pg1"), Labels = $"%-{key}%" }), report.RedirectsCreated);
    }

    [Fact]
    public async Task BloggerCommentFeedsOfImportedPostsLeadToOurs()
    {
        var key = Key();
        List<ImportedItem> items =
        [
            new ImportedBlog { SourceId = key, SourceKey = key },
            Post(key, "tag:blogger.com,1999:blog-42.post-9876543210", "Feed me", "<p>Fed</p>"),
        ];

        await app.ImportAsync(new FakeImportSource(items, ExportFormat.BloggerClassic));

        var id = LocalId(key, "tag:blogger.com,1999:blog-42.post-9876543210");
        Assert.Equal($"/feeds/{id}/comments/default", Scalar<string>("SELECT target FROM legacy_addresses WHERE address = '/feeds/9876543210/comments/default'"));
    }

    [Fact]
    public async Task ATakenSlugGetsASuffixAndItsOldAddressStillLeadsToIt()
    {
        var key = Key();
        PostSeeder.Insert(app, new SeedPost { Title = "Already here", Slug = "clash-" + key[5..], PublishedAt = DateTime.UtcNow.AddDays(-1) });
        List<ImportedItem> items =
        [
            new ImportedBlog { SourceId = key, SourceKey = key },
            Post(key, "p", "Clash", "<p>Mine</p>") with { Slug = "clash-" + key[5..], OldAddresses = [$"/2012/05/clash-{key[5..]}.html"] },
        ];

        await app.ImportAsync(new FakeImportSource(items));

        var id = LocalId(key, "p");
        Assert.Equal($"clash-{key[5..]}-2", Scalar<string>("SELECT slug FROM posts WHERE id = @Id", new { Id = id }));
        Assert.Equal(id, Scalar<long>("SELECT post_id FROM legacy_addresses WHERE address = @Address", new { Address = $"/2012/05/clash-{key[5..]}.html" }));
    }

    [Fact]
    public async Task ScriptsInImportedHtmlAreRemovedAndThePostIsReported()
    {
        var key = Key();
        List<ImportedItem> items =
        [
            new ImportedBlog { SourceId = key, SourceKey = key },
            Post(key, "bad", "Tampered", """<p onclick="steal()">Hello<script>alert(1)</script></p><iframe src="https://evil.example/"></iframe>"""),
            Post(key, "good", "Clean", "<p>Hello <a href=\"https://example.com/\">there</a></p>"),
        ];

        var report = await app.ImportAsync(new FakeImportSource(items));

        Assert.Equal(["Tampered"], report.SanitizedPosts);
        var html = Scalar<string>("SELECT body_html FROM posts WHERE id = @Id", new { Id = LocalId(key, "bad") });
        Assert.DoesNotContain("script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(report.Notes, note => note.Line == 10 && note.Message.Contains("Tampered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ArchivePicturesAreStoredOnceAndPostsShowThemFromTheLibrary()
    {
        var key = Key();
        var address = $"https://{key}.example.org/wp-content/uploads/2012/05/tree.jpg";
        List<ImportedItem> items =
        [
            new ImportedBlog { SourceId = key, SourceKey = key, Address = $"https://{key}.example.org/" },
            Post(key, "a", "Tree one", $"<p><img src=\"{address}\" alt=\"An oak\"></p>"),
            Post(key, "b", "Tree two", "<p><img src=\"/wp-content/uploads/2012/05/tree.jpg\"></p>"),
        ];
        var source = new FakeImportSource(items);
        source.Pictures[address] = TestImages.Jpeg(640, 480);

        var report = await app.ImportAsync(source);

        Assert.Equal(1, report.ImagesStored);
        using var connection = app.OpenDatabase();
        var mediaId = connection.ExecuteScalar<long>("SELECT local_id FROM imported_items WHERE source = @Key AND kind = 'media'", new { Key = key });
        Assert.Equal("An oak", connection.ExecuteScalar<string>("SELECT alt_text FROM media WHERE id = @Id", new { Id = mediaId }));
        foreach (var post in new[] { "a", "b" })
        {
            var html = connection.ExecuteScalar<string>("SELECT body_html FROM posts WHERE id = @Id", new { Id = LocalId(key, post) });
            Assert.Contains("<picture>", html, StringComparison.Ordinal);
            Assert.DoesNotContain("example.org", html, StringComparison.Ordinal);
            Assert.Equal(1, connection.ExecuteScalar<int>("SELECT COUNT(*) FROM post_media WHERE post_id = @Id AND media_id = @MediaId", new { Id = LocalId(key, post), MediaId = mediaId }));
        }
    }

    [Fact]
    public async Task PicturesLeftOnTheOldHostsAreListedAndShownOverHttps()
    {
        var key = Key();
        List<ImportedItem> items =
        [
            new ImportedBlog { SourceId = key, SourceKey = key, Address = $"http://{key}.blogspot.com/" },
            Post(key, "a", "Snow", "<p><img src=\"http://1.bp.blogspot.com/-abc/s1600/snow.jpg\" alt=\"Snow\"></p>"),
            Post(key, "b", "Rain", $"<p><img src=\"http://{key}.blogspot.com/rain.png\" alt=\"Rain\"><img src=\"https://1.bp.blogspot.com/-abc/s1600/snow.jpg\" alt=\"Snow\"></p>"),
        ];

        var report = await app.ImportAsync(new FakeImportSource(items));

        Assert.Equal(0, report.ImagesStored);
        var snow = Assert.Single(report.ImagesLeftRemote, image => image.Address == "https://1.bp.blogspot.com/-abc/s1600/snow.jpg");
        Assert.Equal(["Snow", "Rain"], snow.PostTitles);
        Assert.Contains(report.ImagesLeftRemote, image => image.Address == $"https://{key}.blogspot.com/rain.png");
        Assert.Contains("src=\"https://1.bp.blogspot.com/-abc/s1600/snow.jpg\"", Scalar<string>("SELECT body_html FROM posts WHERE id = @Id", new { Id = LocalId(key, "a") }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinksToTheOldBlogsPostsLeadToTheirNewAddresses()
    {
        var key = Key();
        List<ImportedItem> items =
        [
            new ImportedBlog { SourceId = key, SourceKey = key, Address = $"https://{key}.example.org/" },
            Post(key, "first", "Linked to", "<p>Target</p>"),
            Post(key, "second", "Linking", $"<p><a href=\"https://{key}.example.org/2012/05/linked-to.html#top\">before</a> <a href=\"https://{key}.example.org/2013/01/not-yet.html\">later</a> <a href=\"https://elsewhere.example/x\">away</a></p>"),
        ];

        // The target was imported by an earlier batch (here: an earlier run); a link to a post of the same batch
        // keeps the old path, which answers with a 301 to it.
        await app.ImportAsync(new FakeImportSource(items[..2]));

        await app.ImportAsync(new FakeImportSource(items));

        var html = Scalar<string>("SELECT body_html FROM posts WHERE id = @Id", new { Id = LocalId(key, "second") });
        Assert.Contains("href=\"/2012/05/linked-to#top\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/2013/01/not-yet.html\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://elsewhere.example/x\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnImportThatStopsSaysWhereAndImportingAgainFinishesIt()
    {
        var key = Key();
        var items = new List<ImportedItem> { new ImportedBlog { SourceId = key, SourceKey = key } };
        for (var i = 0; i < ImportRunner.BatchSize + 10; i++)
        {
            items.Add(Post(key, "p" + i, $"Post {i} {key[5..]}", $"<p>Number {i}</p>") with { Line = 100 + i, OldAddresses = [] });
        }
        var failing = new FakeImportSource(items) { Failure = (2, ImportRunner.BatchSize + 5, new IOException("the disk went away")) };

        var stopped = await Assert.ThrowsAsync<ImportInterruptedException>(() => app.ImportAsync(failing));

        Assert.Contains($"after line {100 + ImportRunner.BatchSize - 1}", stopped.Message, StringComparison.Ordinal);
        Assert.Equal(ImportRunner.BatchSize, Scalar<int>("SELECT COUNT(*) FROM imported_items WHERE source = @Key", new { Key = key }));
        var resumed = await app.ImportAsync(new FakeImportSource(items));
        Assert.Equal((10, ImportRunner.BatchSize), (resumed.For(ImportKinds.Posts).Imported, resumed.For(ImportKinds.Posts).AlreadyImported));
        Assert.Equal(ImportRunner.BatchSize + 10, Scalar<int>("SELECT COUNT(*) FROM imported_items WHERE source = @Key", new { Key = key }));
    }

    [Fact]
    public async Task AFileThatNamesNoBlogIsRefusedBeforeAnythingIsWritten()
    {
        await app.ImporterAsync();
        var before = await DatabaseSnapshot.TakeAsync(app);

        await Assert.ThrowsAsync<ImportRefusedException>(() => app.ImportAsync(new FakeImportSource([Post("x", "p", "Lonely", "<p>x</p>")])));

        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(app));
    }
}
