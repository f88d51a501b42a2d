using System.Globalization;
using System.Net;
using Blog.Web.Features.Authoring;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Authoring;

public sealed class RevisionTests(AuthoringAppFactory app) : IClassFixture<AuthoringAppFactory>
{
    private sealed record StoredRevision
    {
        public long Version { get; init; }
        public string? EditorId { get; init; }
        public string Origin { get; init; } = "";
        public string Title { get; init; } = "";
        public string Subtitle { get; init; } = "";
        public string Body { get; init; } = "";
        public string Labels { get; init; } = "";
    }

    [Fact]
    public async Task EverySaveKeepsARevisionWithWhoAndWhatWasWritten()
    {
        var (client, author) = await BlogClient.SignedInAsync(app, MemberRole.Author);

        var id = await CreateAsync(client, "First title", "The quick brown fox.", "animals, Fox");
        await SaveAsync(client, id, new() { ["Title"] = "Second title", ["Body"] = "The quick red fox jumps.", ["Subtitle"] = "Now with a subtitle" });

        var revisions = Revisions(id);
        Assert.Equal([1L, 2L], revisions.Select(r => r.Version));
        Assert.All(revisions, r => Assert.Equal((author.Id, "editor"), (r.EditorId, r.Origin)));
        Assert.Equal(("First title", "", "The quick brown fox.", "animals, Fox"), (revisions[0].Title, revisions[0].Subtitle, revisions[0].Body, revisions[0].Labels));
        Assert.Equal(("Second title", "Now with a subtitle", "The quick red fox jumps."), (revisions[1].Title, revisions[1].Subtitle, revisions[1].Body));
        Assert.Equal(2, Version(id));
    }

    [Fact]
    public async Task ComparingTwoRevisionsShowsTheWordsRemovedAndAdded()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var id = await CreateAsync(client, "Compared", "The quick brown fox jumps over the lazy dog.", "");
        await SaveAsync(client, id, new() { ["Title"] = "Compared", ["Body"] = "The quick red fox jumps over the sleepy dog." });

        // Asked newest first, shown oldest first.
        var response = await client.Http.GetAsync($"/admin/posts/{id}/revisions/compare?from=2&to=1");
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = page.QuerySelector(".diff-body")!;
        Assert.Equal(["[removed: brown]", "[removed: lazy]"], body.QuerySelectorAll("del").Select(e => e.TextContent));
        Assert.Equal(["[added: red]", "[added: sleepy]"], body.QuerySelectorAll("ins").Select(e => e.TextContent));
        Assert.Equal("The quick [removed: brown][added: red] fox jumps over the [removed: lazy][added: sleepy] dog.", body.TextContent);
        Assert.Contains("Changes from version 1 to version 2", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEditorAndTheRevisionsPageListRevisionsNewestFirstWithACompareForm()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var id = await CreateAsync(client, "Listed", "One.", "");
        for (var i = 2; i <= 7; i++)
        {
            await SaveAsync(client, id, new() { ["Title"] = "Listed", ["Body"] = $"Text number {i}." });
        }

        var editor = await client.GetPageAsync($"/admin/posts/{id}/edit");
        var list = await client.GetPageAsync($"/admin/posts/{id}/revisions");

        Assert.Equal(["7", "6", "5", "4", "3"], editor.QuerySelectorAll(".revision-list li").Select(li => li.GetAttribute("value")));
        Assert.Equal(7, list.QuerySelectorAll(".revision-table tbody tr").Length);
        Assert.Equal("get", list.QuerySelector("form.revision-compare")!.GetAttribute("method"));
        Assert.Equal("7", list.QuerySelector("input[name=to][checked]")!.GetAttribute("value"));
        Assert.Equal("6", list.QuerySelector("input[name=from][checked]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task ALongHistoryIsPagedByVersion()
    {
        var (client, author) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var id = await CreateAsync(client, "Edited often", "Text.", "");
        using (var db = app.OpenDatabase())
        {
            db.Execute("""
                WITH RECURSIVE n(v) AS (SELECT 2 UNION ALL SELECT v + 1 FROM n WHERE v < 10000)
                INSERT INTO post_revisions (post_id, version, editor_id, created_at, title, subtitle, body)
                SELECT @Id, v, @AuthorId, '2026-01-01 00:00:00', 'Edited often', '', 'Text ' || v FROM n;
                UPDATE posts SET version = 10000 WHERE id = @Id;
                """, new { Id = id, AuthorId = author.Id });
        }

        var first = await client.GetPageAsync($"/admin/posts/{id}/revisions");
        var older = first.QuerySelector("a[href*='older-than']")!.GetAttribute("href")!;
        var second = await client.GetPageAsync(older);
        var last = await client.GetPageAsync($"/admin/posts/{id}/revisions?older-than=30");

        Assert.Equal($"/admin/posts/{id}/revisions?older-than=9951", older);
        Assert.Equal("Version 10000 (current)", first.QuerySelector(".revision-table tbody th")!.TextContent);
        Assert.Equal("Version 9950", second.QuerySelector(".revision-table tbody th")!.TextContent);
        Assert.Equal(29, last.QuerySelectorAll(".revision-table tbody tr").Length);
        Assert.Null(last.QuerySelector("a[href*='older-than']"));
    }

    [Fact]
    public async Task RestoringARevisionSavesItsTextAsANewRevision()
    {
        var (client, author) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var id = await CreateAsync(client, "Restorable", "The original words.", "first");
        await SaveAsync(client, id, new() { ["Title"] = "Changed", ["Body"] = "Different words.", ["Labels"] = "second" });

        var response = await client.SubmitFormAsync($"/admin/posts/{id}/revisions/1", new Dictionary<string, string>(), "form.restore-form");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var restored = Revisions(id)[^1];
        Assert.Equal((3L, "restore", author.Id), (restored.Version, restored.Origin, restored.EditorId));
        Assert.Equal(("Restorable", "The original words.", "first"), (restored.Title, restored.Body, restored.Labels));
        using var db = app.OpenDatabase();
        Assert.Equal("<p>The original words.</p>", db.QuerySingle<string>("SELECT body_html FROM posts WHERE id = @Id", new { Id = id }).Trim());
    }

    [Fact]
    public async Task RestoringFromAPageOpenedBeforeAnotherSaveRestoresNothing()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var id = await CreateAsync(client, "Stale restore", "One.", "");
        await SaveAsync(client, id, new() { ["Title"] = "Stale restore", ["Body"] = "Two." });

        var response = await client.PostAsync($"/admin/posts/{id}/revisions/1/restore", new Dictionary<string, string> { ["currentVersion"] = "1" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/admin/posts/{id}/revisions", response.Headers.Location!.OriginalString);
        Assert.Equal(2, Version(id));
    }

    [Fact]
    public async Task ASecondSaveFromTheSameVersionIsRefusedWithBothTextsShown()
    {
        var (author, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        var id = await CreateAsync(author, "Shared", "The shared first text.", "");
        var ownersEditor = await owner.GetPageAsync($"/admin/posts/{id}/edit");
        var ownersToken = BlogClient.AntiforgeryToken(ownersEditor, "editor");

        await SaveAsync(author, id, new() { ["Title"] = "Shared", ["Body"] = "The author's newer text." });
        var refused = await owner.Http.PostAsync($"/admin/posts/{id}/edit", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = ownersToken, ["Version"] = "1", ["Title"] = "Shared", ["Body"] = "The owner's own text.", ["Command"] = "save",
        }));
        var page = BlogClient.Parse(await refused.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("The author's newer text.", Revisions(id)[^1].Body);
        Assert.Equal("The owner's own text.", page.QuerySelector("textarea[name=Body]")!.TextContent);
        Assert.Equal("2", page.QuerySelector("form.editor-form input[name=Version]")!.GetAttribute("value"));
        var conflict = page.QuerySelector(".conflict")!;
        Assert.Contains("Version 2 was saved by", conflict.TextContent, StringComparison.Ordinal);
        Assert.Equal("The author's newer text.", conflict.QuerySelector(".conflict-theirs .diff-body")!.TextContent);
        Assert.Contains("[removed: author]", conflict.QuerySelector(".diff-body")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("[added: owner]", conflict.QuerySelector(".diff-body")!.TextContent, StringComparison.Ordinal);

        var keptMine = await owner.SubmitFormAsync($"/admin/posts/{id}/edit", new Dictionary<string, string>
        {
            ["Version"] = "2", ["Title"] = "Shared", ["Body"] = "The owner's own text.", ["Command"] = "save",
        }, "form.editor-form");

        Assert.Equal(HttpStatusCode.Redirect, keptMine.StatusCode);
        Assert.Equal(["The shared first text.", "The author's newer text.", "The owner's own text."], Revisions(id).Select(r => r.Body));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("99999999999999999999999")]
    public async Task AVersionThatIsNotANumberIsRefusedNotSaved(string version)
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var id = await CreateAsync(client, "Garbled " + version, "Kept.", "");

        var response = await client.SubmitFormAsync($"/admin/posts/{id}/edit", new Dictionary<string, string>
        {
            ["Version"] = version, ["Title"] = "Garbled", ["Body"] = "Overwrite?", ["Command"] = "save",
        });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(1, Version(id));
        Assert.Contains("Overwrite?", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OfTwoSavesFromOneVersionAtTheSameTimeExactlyOneIsWritten()
    {
        var (client, author) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var id = await CreateAsync(client, "Raced", "Start.", "");
        var store = app.Services.GetRequiredService<PostStore>();
        PostWrite Write(string body) => new()
        {
            Kind = "post", AuthorId = author.Id, Title = "Raced", Subtitle = "", Slug = "raced-" + id, BodyMarkdown = body,
            BodyHtml = $"<p>{body}</p>", BodyText = body, Excerpt = body, Status = "draft", PublishedAt = null,
            AllowComments = true, Labels = [], Now = DateTime.UtcNow,
        };

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => store.UpdateAsync(id, "raced", false, 1, Write("Writer " + i), new PostPictures(), CancellationToken.None))));

        Assert.Single(results, version => version == 2);
        Assert.Equal(7, results.Count(version => version is null));
        Assert.Equal(2, Revisions(id).Count);
    }

    [Fact]
    public async Task ImportedPostsStartWithAnImportRevision()
    {
        var (_, author) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        await using var db = app.OpenDatabase();
        await using var transaction = await db.BeginTransactionAsync();
        var write = new PostWrite
        {
            Kind = "post", AuthorId = author.Id, Title = "Imported", Subtitle = "", Slug = "imported-" + Guid.NewGuid().ToString("N")[..8],
            BodyMarkdown = "<p>Old</p>", BodyHtml = "<p>Old</p>", BodyText = "Old", Excerpt = "Old", Status = "draft", PublishedAt = null,
            AllowComments = true, Labels = ["history"], Now = DateTime.UtcNow, BodyFormat = BodyFormat.Html,
        };

        var id = await PostStore.InsertAsync(db, transaction, write, new PostPictures(), CancellationToken.None);
        await transaction.CommitAsync();

        var revision = Assert.Single(Revisions(id));
        Assert.Equal((1L, "import", "<p>Old</p>", "history"), (revision.Version, revision.Origin, revision.Body, revision.Labels));
    }

    [Fact]
    public async Task AutosaveKeepsTheTextAsideAndTheEditorOffersItBack()
    {
        var (client, author) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var id = await CreateAsync(client, "Autosaved", "Saved text.", "");
        app.Clock.Advance(TimeSpan.FromMinutes(1));

        var autosaved = await client.PostAsync($"/admin/posts/{id}/autosave", new Dictionary<string, string>
        {
            ["Version"] = "1", ["Title"] = "Autosaved", ["Body"] = "Saved text, and more typed.", ["Labels"] = "",
        }, $"/admin/posts/{id}/edit");
        var editor = await client.GetPageAsync($"/admin/posts/{id}/edit");
        var restored = await client.GetPageAsync($"/admin/posts/{id}/edit?autosave=use");

        Assert.Equal(HttpStatusCode.NoContent, autosaved.StatusCode);
        Assert.Equal(1, Version(id));
        Assert.Single(Revisions(id));
        Assert.NotNull(editor.QuerySelector(".autosave-offer"));
        Assert.Equal("Saved text.", editor.QuerySelector("textarea[name=Body]")!.TextContent);
        Assert.Equal("Saved text, and more typed.", restored.QuerySelector("textarea[name=Body]")!.TextContent);
        Assert.Null(restored.QuerySelector(".autosave-offer"));

        var saved = await client.SubmitFormAsync($"/admin/posts/{id}/edit?autosave=use", new Dictionary<string, string>
        {
            ["Title"] = "Autosaved", ["Body"] = restored.QuerySelector("textarea[name=Body]")!.TextContent, ["Command"] = "save",
        }, "form.editor-form");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("Saved text, and more typed.", Revisions(id)[^1].Body);
        using var db = app.OpenDatabase();
        Assert.Equal(0, db.QuerySingle<int>("SELECT COUNT(*) FROM post_autosaves WHERE post_id = @Id AND editor_id = @EditorId", new { Id = id, EditorId = author.Id }));
    }

    [Fact]
    public async Task AnAutosaveCanBeDiscardedWithoutScript()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var id = await CreateAsync(client, "Discarded", "Saved text.", "");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await client.PostAsync($"/admin/posts/{id}/autosave", new Dictionary<string, string> { ["Version"] = "1", ["Title"] = "Discarded", ["Body"] = "Typed." });

        var discarded = await client.SubmitFormAsync($"/admin/posts/{id}/edit", new Dictionary<string, string>(), ".autosave-offer form");
        var editor = await client.GetPageAsync($"/admin/posts/{id}/edit");

        Assert.Equal(HttpStatusCode.Redirect, discarded.StatusCode);
        Assert.Null(editor.QuerySelector(".autosave-offer"));
    }

    [Theory]
    [InlineData("abc", "Title", 10, HttpStatusCode.BadRequest)]
    [InlineData("5", "Title", 10, HttpStatusCode.BadRequest)]
    [InlineData("1", "Title", 6_000, HttpStatusCode.BadRequest)]
    [InlineData("1", "", 5_000, HttpStatusCode.NoContent)]
    public async Task AutosaveRefusesWhatASaveWouldRefuseWithAMessage(string version, string title, int bodyLength, HttpStatusCode expected)
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var id = await CreateAsync(client, "Hostile autosave " + version + bodyLength, "Text.", "");

        var response = await client.PostAsync($"/admin/posts/{id}/autosave", new Dictionary<string, string>
        {
            ["Version"] = version, ["Title"] = title, ["Body"] = new string('é', bodyLength),
        });

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(1, Version(id));
        if (expected == HttpStatusCode.BadRequest)
        {
            Assert.NotEmpty(await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task RevisionsOfAnotherPostOrOfSomeoneElsesPostAreNotShownOrRestored()
    {
        var (author, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var (otherAuthor, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var mine = await CreateAsync(author, "Mine", "Mine.", "");
        var theirs = await CreateAsync(otherAuthor, "Theirs", "Theirs.", "");
        await SaveAsync(otherAuthor, theirs, new() { ["Title"] = "Theirs", ["Body"] = "Theirs again." });

        Assert.Equal(HttpStatusCode.NotFound, (await author.Http.GetAsync($"/admin/posts/{mine}/revisions/2")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await author.Http.GetAsync($"/admin/posts/{mine}/revisions/compare?from=1&to=2")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await author.Http.GetAsync($"/admin/pages/{mine}/revisions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await author.Http.GetAsync($"/admin/posts/{theirs}/revisions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await author.Http.GetAsync($"/admin/posts/{theirs}/revisions/1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await author.PostAsync($"/admin/posts/{mine}/revisions/2/restore", new Dictionary<string, string> { ["currentVersion"] = "1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await author.PostAsync($"/admin/posts/{theirs}/revisions/1/restore", new Dictionary<string, string> { ["currentVersion"] = "2" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await author.PostAsync($"/admin/posts/{theirs}/autosave", new Dictionary<string, string> { ["Version"] = "2" })).StatusCode);
        Assert.Equal(2, Version(theirs));
    }

    [Theory]
    [InlineData("compare?from=abc&to=1")]
    [InlineData("compare?from=1")]
    [InlineData("compare?from=1&to=%00")]
    [InlineData("compare?from=1&to=99999999999999999999999")]
    [InlineData("?older-than=xyz")]
    [InlineData("?older-than=-5")]
    public async Task AGarbledRevisionAddressIsABadRequestWithAMessage(string query)
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var id = await CreateAsync(client, "Garbled address", "Text.", "");

        var response = await client.Http.GetAsync($"/admin/posts/{id}/revisions" + (query.StartsWith('?') ? query : "/" + query));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PagesKeepRevisionsAndRefuseStaleSavesToo()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var id = await CreateAsync(client, "A page " + Guid.NewGuid().ToString("N")[..6], "About me.", "", "pages");
        await SaveAsync(client, id, new() { ["Title"] = "About", ["Body"] = "About us." }, "pages");

        var stale = await client.SubmitFormAsync($"/admin/pages/{id}/edit", new Dictionary<string, string>
        {
            ["Version"] = "1", ["Title"] = "About", ["Body"] = "About them.", ["Command"] = "save",
        });
        var compare = await client.GetPageAsync($"/admin/pages/{id}/revisions/compare?from=1&to=2");

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(["About me.", "About us."], Revisions(id).Select(r => r.Body));
        Assert.Equal("[removed: me][added: us]", string.Concat(compare.QuerySelectorAll(".diff-body del, .diff-body ins").Select(e => e.TextContent)));
    }

    private static async Task<long> CreateAsync(BlogClient client, string title, string body, string labels, string section = "posts")
    {
        var response = await client.SubmitFormAsync($"/admin/{section}/new", new Dictionary<string, string>
        {
            ["Title"] = title, ["Body"] = body, ["Labels"] = labels, ["Command"] = "save",
        });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await BlogClient.TextOfAsync(response));
        return long.Parse(response.Headers.Location!.OriginalString.Split('/')[^2], CultureInfo.InvariantCulture);
    }

    /// <summary>Saves through the editor as it stands now (its form carries the version it opened).</summary>
    private static async Task SaveAsync(BlogClient client, long id, Dictionary<string, string> fields, string section = "posts")
    {
        fields.TryAdd("Command", "save");
        var response = await client.SubmitFormAsync($"/admin/{section}/{id}/edit", fields);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await BlogClient.TextOfAsync(response));
    }

    private List<StoredRevision> Revisions(long id)
    {
        using var db = app.OpenDatabase();
        return db.Query<StoredRevision>("SELECT * FROM post_revisions WHERE post_id = @Id ORDER BY version", new { Id = id }).AsList();
    }

    private long Version(long id)
    {
        using var db = app.OpenDatabase();
        return db.QuerySingle<long>("SELECT version FROM posts WHERE id = @Id", new { Id = id });
    }
}
