using System.Globalization;
using System.Net;
using Blog.Web.Features.Posts;
using Blog.Web.Hosting;
using Blog.Web.Hosting.Postgres;
using Blog.Web.Identity;
using Blog.Web.Tests.Features.OnPostgres;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using static Blog.Web.Tests.Infrastructure.CommentTestData;

namespace Blog.Web.Tests.Hosting;

/// <summary>
/// Two instances of the blog on one PostgreSQL database and no Redis: whatever one instance issues or changes, the
/// other honours, through the database alone. A change reaches the other instance's memory as a NOTIFY, a moment
/// later: the tests wait for what it brings to show, never a fixed time.
/// </summary>
[Trait("Database", "PostgreSQL")]
public sealed class PostgresSharingTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        // No configured address: the one the owner records in the settings is the one both instances use.
        ["Blog:BaseUrl"] = "",
        ["Blog:Defaults:Comments:Moderation"] = "Always",
        ["Blog:Comments:PerMinute"] = "1000",
    };

    private TwoInstancesOnOnePostgres _blog = null!;

    public async Task InitializeAsync() => _blog = await TwoInstancesOnOnePostgres.StartAsync(Settings);

    public async Task DisposeAsync() => await _blog.DisposeAsync();

    [Fact]
    public async Task ASignInAndAFormTokenFromOneInstanceAreHonouredByTheOther()
    {
        var (owner, _) = await BlogClient.SignedInAsync(_blog.First, MemberRole.Owner);
        var (postId, _) = await PublishAsync(owner, "Shared sign-in " + Suffix());
        var member = await BlogClient.CreateAccountAsync(_blog.First, MemberRole.Member);
        using var browser = new OneBrowserOnTwoInstances(_blog.First, _blog.Second);

        using var signedIn = await browser.SignInOnFirstAsync(member.Email!);
        using var account = await browser.OnSecond.GetAsync("/account");
        using var comment = await browser.CommentOnSecondAsync(postId, "Written through the other instance");

        // Each instance has a data folder of its own: the keys both read are the database's.
        Assert.All(new[] { _blog.First, _blog.Second }, app => Assert.Empty(FilesIn(Path.Combine(app.DataDirectory, "keys"))));
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM data_protection_keys") > 0);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, comment.StatusCode);
        Assert.Matches("#c[0-9]+$", comment.Headers.Location!.OriginalString);
        owner.Dispose();
    }

    [Fact]
    public async Task ACommentApprovedOnOneInstanceIsOnTheOthersNextAnonymousPage()
    {
        var (owner, _) = await BlogClient.SignedInAsync(_blog.First, MemberRole.Owner);
        var (member, _) = await BlogClient.SignedInAsync(_blog.First, MemberRole.Member);
        var (postId, path) = await PublishAsync(owner, "Shared cache " + Suffix());
        var words = "Approved on the first instance " + Suffix();
        var commentId = await CommentIdAsync(member, postId, words);
        using var readerOfSecond = new BlogClient(_blog.Second);

        var cachedBySecond = await CachedPageAsync(readerOfSecond, path);
        using var approved = await owner.PostAsync("/admin/moderation/approve",
            new Dictionary<string, string> { ["id"] = commentId.ToString(CultureInfo.InvariantCulture) }, "/admin/moderation");
        var shownBySecond = await Eventually.TrueAsync(async () => (await TextAsync(readerOfSecond, path)).Contains(words, StringComparison.Ordinal));

        Assert.DoesNotContain(words, cachedBySecond, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.True(shownBySecond, "The second instance kept serving the page it had cached before the approval.");
        owner.Dispose();
        member.Dispose();
    }

    [Fact]
    public async Task SettingsSavedOnOneInstanceAreWhatTheOtherShowsAndFiltersBy()
    {
        var (owner, _) = await BlogClient.SignedInAsync(_blog.First, MemberRole.Owner);
        using var readerOfSecond = new BlogClient(_blog.Second);
        var title = "Retitled through the first " + Suffix();
        var cachedHome = await CachedPageAsync(readerOfSecond, "/");

        using var saved = await owner.SubmitFormAsync("/admin/settings", new Dictionary<string, string>
        {
            ["Title"] = title, ["Description"] = "", ["PostsPerPage"] = "10", ["TimeZone"] = "UTC", ["DateFormat"] = "yyyy",
            ["BaseUrl"] = "https://shared.example.test",
        });
        var address = _blog.Second.Services.GetRequiredService<CanonicalAddress>();
        var titleShown = await Eventually.TrueAsync(async () => (await TextAsync(readerOfSecond, "/")).Contains(title, StringComparison.Ordinal));
        var addressKnown = await Eventually.TrueAsync(() => address.Known == "https://shared.example.test");

        Assert.DoesNotContain(title, cachedHome, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.True(titleShown, "The second instance kept the old title.");
        Assert.True(addressKnown, $"The second instance knows the address as {address.Known}.");
        owner.Dispose();
    }

    [Fact]
    public async Task AnEvictionOnOneInstanceMovesTheVersionTheOtherReads()
    {
        var seenBySecond = _blog.Second.Services.GetRequiredService<ReaderCache>();
        var generationBefore = await seenBySecond.GenerationAsync(CancellationToken.None);
        var postsChangedBefore = await seenBySecond.PostsChangedAtAsync(CancellationToken.None);
        await Task.Delay(20);

        await _blog.First.Services.GetRequiredService<ReaderCache>().PostsChangedAsync();
        var moved = await Eventually.TrueAsync(async () => await seenBySecond.GenerationAsync(CancellationToken.None) > generationBefore);

        Assert.True(moved);
        Assert.True(await seenBySecond.PostsChangedAtAsync(CancellationToken.None) > postsChangedBefore);
        // Listening, an instance reads the same generation until something changes: its pages can be stored.
        Assert.Equal(await seenBySecond.GenerationAsync(CancellationToken.None), await seenBySecond.GenerationAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AnInstanceWhoseListeningConnectionIsDroppedServesNoStalePageAndListensAgain()
    {
        var (owner, _) = await BlogClient.SignedInAsync(_blog.First, MemberRole.Owner);
        var (member, _) = await BlogClient.SignedInAsync(_blog.First, MemberRole.Member);
        var (postId, path) = await PublishAsync(owner, "Dropped listener " + Suffix());
        var firstWords = "Approved while the second was deaf " + Suffix();
        var laterWords = "Approved once it listened again " + Suffix();
        var firstComment = await CommentIdAsync(member, postId, firstWords);
        var laterComment = await CommentIdAsync(member, postId, laterWords);
        using var readerOfSecond = new BlogClient(_blog.Second);
        await CachedPageAsync(readerOfSecond, path);
        var listener = _blog.Second.Services.GetRequiredService<PostgresChangeListener>();

        var dropped = await ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = @Name) AS listener WHERE done",
            new { Name = listener.SessionName });
        await ApproveAsync(owner, firstComment);
        var firstShown = await Eventually.TrueAsync(async () => (await TextAsync(readerOfSecond, path)).Contains(firstWords, StringComparison.Ordinal));
        var listensAgain = await Eventually.TrueAsync(() => _blog.Second.Logs.Lines.Any(line => line.Contains("Hearing the other instances through PostgreSQL again", StringComparison.Ordinal)));
        var cachedAgain = await CachedPageAsync(readerOfSecond, path);
        await ApproveAsync(owner, laterComment);
        var laterShown = await Eventually.TrueAsync(async () => (await TextAsync(readerOfSecond, path)).Contains(laterWords, StringComparison.Ordinal));

        Assert.Equal(1, dropped);
        Assert.True(firstShown, "The second instance served a page cached before it stopped hearing the first.");
        Assert.True(listensAgain, string.Join("\n", _blog.Second.Logs.Lines.Where(line => line.Contains("PostgreSQL", StringComparison.Ordinal))));
        Assert.Single(_blog.Second.Logs.Lines, line => line.Contains("Not hearing the other instances through PostgreSQL", StringComparison.Ordinal));
        Assert.DoesNotContain(laterWords, cachedAgain, StringComparison.Ordinal);
        Assert.True(laterShown, "After listening again, the second instance missed the next change.");
        owner.Dispose();
        member.Dispose();
    }

    [Fact]
    public async Task NoticesThatAreNotTheBlogsAreIgnoredAndListeningGoesOn()
    {
        var seenBySecond = _blog.Second.Services.GetRequiredService<ReaderCache>();
        var generationBefore = await seenBySecond.GenerationAsync(CancellationToken.None);
        var hostile = ChangeNoticeTests.HostilePayloads.Where(payload => payload.Length < 8000 && !payload.Any(c => c == '\0' || char.IsSurrogate(c))).ToList();
        await using (var connection = await _blog.Database.DataSource.OpenConnectionAsync())
        {
            foreach (var payload in hostile)
            {
                await connection.ExecuteAsync("SELECT pg_notify(@Channel, @Payload)", new { Channel = PostgresChangeStore.Channel, Payload = payload });
            }
        }

        await _blog.First.Services.GetRequiredService<ReaderCache>().CommentsChangedAsync([1]);
        var moved = await Eventually.TrueAsync(async () => await seenBySecond.GenerationAsync(CancellationToken.None) > generationBefore);

        Assert.True(hostile.Count >= 10);
        Assert.True(moved);
        Assert.DoesNotContain(_blog.Second.Logs.Lines, line => line.Contains(nameof(PostgresChangeListener), StringComparison.Ordinal)
            && (line.StartsWith("Warning", StringComparison.Ordinal) || line.StartsWith("Error", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TwoInstancesStartingTogetherWithNoKeyRingEndWithOneRingBothRead()
    {
        await using var fresh = await TwoInstancesOnOnePostgres.StartAsync(Settings, together: true);
        var first = fresh.First.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("shared ring test");
        var second = fresh.Second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("shared ring test");

        var madeByFirst = first.Protect("made by the first");
        var madeBySecond = second.Protect("made by the second");

        Assert.Equal("made by the first", second.Unprotect(madeByFirst));
        Assert.Equal("made by the second", first.Unprotect(madeBySecond));
        Assert.Equal(KeyIds(fresh.First), KeyIds(fresh.Second));
        await using var connection = await fresh.Database.DataSource.OpenConnectionAsync();
        Assert.Equal(KeyIds(fresh.First).Count, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM data_protection_keys"));
        Assert.All(new[] { fresh.First, fresh.Second }, app => Assert.Empty(FilesIn(Path.Combine(app.DataDirectory, "keys"))));
    }

    private static List<Guid> KeyIds(PostgresAppFactory app) =>
        [.. app.Services.GetRequiredService<IKeyManager>().GetAllKeys().Select(key => key.KeyId).Order()];

    private static string[] FilesIn(string folder) => Directory.Exists(folder) ? Directory.GetFiles(folder) : [];

    private async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await _blog.Database.DataSource.OpenConnectionAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    /// <summary>Reads the page until a reading comes from the instance's own cache (it carries an Age), and returns that reading.</summary>
    private static async Task<string> CachedPageAsync(BlogClient reader, string path)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var response = await reader.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (response.Headers.Age is not null)
            {
                return await response.Content.ReadAsStringAsync();
            }
        }
        throw new InvalidOperationException($"{path} was never served from the cache.");
    }

    private static async Task<string> TextAsync(BlogClient reader, string path) => await BlogClient.TextOfAsync(await reader.GetAsync(path));

    private static async Task ApproveAsync(BlogClient owner, long commentId)
    {
        using var approved = await owner.PostAsync("/admin/moderation/approve",
            new Dictionary<string, string> { ["id"] = commentId.ToString(CultureInfo.InvariantCulture) }, "/admin/moderation");
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
    }

    /// <summary>Publishes through the editor (test SQL would reach another database) and returns the post's id and address.</summary>
    private async Task<(long Id, string Path)> PublishAsync(BlogClient owner, string title)
    {
        using var response = await owner.SubmitFormAsync("/admin/posts/new", new Dictionary<string, string>
        {
            ["Title"] = title, ["Body"] = "Shared between instances.", ["Labels"] = "", ["AllowComments"] = "true", ["Command"] = "publish",
        });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await BlogClient.TextOfAsync(response));
        var id = long.Parse(response.Headers.Location!.OriginalString.Split('/')[^2], CultureInfo.InvariantCulture);
        await using var connection = await _blog.Database.DataSource.OpenConnectionAsync();
        var post = await connection.QuerySingleAsync<(string Slug, DateTime PublishedAt)>("SELECT slug, published_at FROM posts WHERE id = @Id", new { Id = id });
        return (id, PostUrls.PostPath(post.PublishedAt.ToUniversalTime(), post.Slug, TimeZoneInfo.Utc));
    }

    private static string Suffix() => Guid.NewGuid().ToString("N")[..8];

}
