using System.Net;
using System.Text;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;

namespace Blog.Web.Tests.Features.Micropub;

/// <summary>
/// Who may do what with a token (the scope table, authors and the owner), that cookies count for nothing, and a
/// hostile corpus: every malformed request is a clear 4xx with a JSON error, never a 500, and stores nothing.
/// </summary>
public sealed class MicropubRequestTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>, IDisposable
{
    private readonly MicropubApp _client = new(app);

    [Theory]
    [InlineData("create", "create", HttpStatusCode.Created)]
    [InlineData("create", "update delete media", HttpStatusCode.Forbidden)]
    [InlineData("update", "update", HttpStatusCode.NoContent)]
    [InlineData("update", "create delete media", HttpStatusCode.Forbidden)]
    [InlineData("delete", "delete", HttpStatusCode.NoContent)]
    [InlineData("delete", "create update media", HttpStatusCode.Forbidden)]
    [InlineData("undelete", "delete", HttpStatusCode.NoContent)]
    [InlineData("undelete", "create update", HttpStatusCode.Forbidden)]
    [InlineData("media", "media", HttpStatusCode.Created)]
    [InlineData("media", "create update delete", HttpStatusCode.Forbidden)]
    public async Task EachActionNeedsItsScope(string action, string scope, HttpStatusCode expected)
    {
        var (token, memberId) = await _client.TokenAsync(scope);
        var url = await PostOfAsync(memberId, deleted: action == "undelete");

        using var response = action switch
        {
            "create" => await _client.PostFormAsync(token, ("content", "Scoped create.")),
            "update" => await _client.PostJsonTextAsync(token, $$$"""{"action": "update", "url": "{{{url}}}", "replace": {"content": ["Scoped update."]}}"""),
            "media" => await _client.PostMultipartAsync("/micropub/media", token, Picture()),
            _ => await _client.PostFormAsync(token, ("action", action), ("url", url)),
        };

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            var error = await MicropubApp.ErrorOfAsync(response);
            Assert.Equal("insufficient_scope", error.GetProperty("error").GetString());
            Assert.Equal(action is "undelete" ? "delete" : action, error.GetProperty("scope").GetString());
        }
    }

    [Fact]
    public async Task SignedInBrowserWithoutATokenGets401AndStoresNothing()
    {
        var (browser, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var _ = browser;
        var before = _client.CountPosts();

        using var response = await browser.PostAsync("/micropub", new Dictionary<string, string> { ["h"] = "entry", ["content"] = "Cross-site attempt." });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, _client.CountPosts());
    }

    [Fact]
    public async Task TokenInBothHeaderAndBodyIsInvalidRequest()
    {
        var (token, _) = await _client.TokenAsync();

        using var response = await _client.PostFormAsync(token, ("content", "Twice."), ("access_token", token));

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("revoked")]
    [InlineData("expired")]
    [InlineData("no longer an author")]
    [InlineData("member, never an author")]
    public async Task TokenThatNoLongerWorksGets401(string why)
    {
        var (token, memberId) = await _client.TokenAsync(role: why == "member, never an author" ? MemberRole.Member : MemberRole.Author,
            lifetime: why == "expired" ? TimeSpan.FromTicks(1) : null);
        using (var connection = app.OpenDatabase())
        {
            if (why == "revoked")
            {
                connection.Execute("UPDATE indieauth_tokens SET revoked_at = '2026-01-01 00:00:00' WHERE member_id = @MemberId", new { MemberId = memberId });
            }
            if (why == "no longer an author")
            {
                connection.Execute("UPDATE members SET role = 'member' WHERE id = @MemberId", new { MemberId = memberId });
            }
        }

        using var response = await _client.PostFormAsync(token, ("content", "Should not be stored."));

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData("update")]
    [InlineData("delete")]
    [InlineData("source")]
    public async Task AuthorCannotTouchAnotherAuthorsPostButTheOwnerCan(string action)
    {
        var (_, writerId) = await _client.TokenAsync();
        var url = await PostOfAsync(writerId, deleted: false);
        var (otherAuthor, _) = await _client.TokenAsync();
        var (owner, _) = await _client.TokenAsync(role: MemberRole.Owner);

        using var refused = await SendAsync(otherAuthor, action, url);
        using var allowed = await SendAsync(owner, action, url);

        await AssertRefusedAsync(refused, HttpStatusCode.Forbidden, "forbidden");
        Assert.True(allowed.IsSuccessStatusCode, $"The owner's {action} answered {(int)allowed.StatusCode}");
    }

    [Fact]
    public async Task DeleteKeepsCommentsAndUndeleteRestoresTheDate()
    {
        var (token, memberId) = await _client.TokenAsync();
        var url = await _client.CreateAsync(token, """{"content": ["Old news."], "published": ["2025-03-04T05:06:07Z"]}""");
        long comments;
        using (var connection = app.OpenDatabase())
        {
            var postId = connection.ExecuteScalar<long>("SELECT id FROM posts WHERE author_id = @MemberId", new { MemberId = memberId });
            connection.Execute("""
                INSERT INTO comments (post_id, author_id, body_markdown, body_html, status, created_at)
                VALUES (@PostId, @MemberId, 'Nice.', '<p>Nice.</p>', 'approved', '2025-03-05 00:00:00')
                """, new { PostId = postId, MemberId = memberId });
            comments = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM comments WHERE post_id = @PostId", new { PostId = postId });
        }

        using var deleted = await _client.PostFormAsync(token, ("action", "delete"), ("url", url));
        using var undeleted = await _client.PostFormAsync(token, ("action", "undelete"), ("url", url));

        Assert.StartsWith("http://localhost/2025/03/", url, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        // Back at its old address, which differs from the one the draft was given: 201 names it.
        Assert.Equal(HttpStatusCode.Created, undeleted.StatusCode);
        Assert.Equal(url, undeleted.Headers.Location?.ToString());
        using var check = app.OpenDatabase();
        Assert.Equal(comments, check.ExecuteScalar<long>("SELECT COUNT(*) FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.author_id = @MemberId", new { MemberId = memberId }));
        Assert.Equal(0, check.ExecuteScalar<long>("SELECT COUNT(*) FROM micropub_deletions"));
        Assert.Equal("2025-03-04T05:06:07Z", (await _client.SourceAsync(token, url)).GetProperty("published")[0].GetString());
    }

    [Fact]
    public async Task DraftIsHiddenFromReadersUntilAnUpdatePublishesIt()
    {
        var (token, _) = await _client.TokenAsync();
        var url = await _client.CreateAsync(token, """{"name": ["A draft"], "content": ["Not yet."], "post-status": ["draft"]}""");

        using var hidden = await _client.ReadAsync(url);
        using var published = await _client.PostJsonTextAsync(token, $$$"""{"action": "update", "url": "{{{url}}}", "replace": {"post-status": ["published"]}}""");

        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        Assert.Contains("Not yet.", await _client.ReadTextAsync(published.Headers.Location?.ToString() ?? url), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewSlugAnswers201WithTheNewAddressAndTheOldOneStillNamesThePost()
    {
        var (token, _) = await _client.TokenAsync();
        var oldUrl = await _client.CreateAsync(token, """{"name": ["Renamed"], "content": ["Moves."], "mp-slug": ["first-address"]}""");

        using var response = await _client.PostJsonTextAsync(token, $$$"""{"action": "update", "url": "{{{oldUrl}}}", "replace": {"mp-slug": ["second-address"]}}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.EndsWith("/second-address", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("Moves.", (await _client.SourceAsync(token, oldUrl)).GetProperty("content")[0].GetString());
        // Both saves are revisions the author can compare and restore in the editor, marked as coming from an app.
        using var db = app.OpenDatabase();
        Assert.Equal(["micropub", "micropub"], db.Query<string>(
            "SELECT r.origin FROM post_revisions r JOIN posts p ON p.id = r.post_id WHERE p.slug = 'second-address' ORDER BY r.version"));
    }

    [Fact]
    public async Task NoteWithoutANameIsTitledByTheStartOfItsText()
    {
        var (token, _) = await _client.TokenAsync();

        var url = await _client.CreateAsync(token, """{"content": ["Walked along the river this morning and saw three herons standing perfectly still in the shallows."]}""");

        var title = BlogClient.Parse(await _client.ReadTextAsync(url)).QuerySelector("h1")!.TextContent.Trim();
        Assert.Equal("Walked along the river this morning and saw three herons…", title);
    }

    public static TheoryData<string, string> HostileJson() => new()
    {
        { "not an object", "[1, 2, 3]" },
        { "type as a string", """{"type": "h-entry", "properties": {"content": ["x"]}}""" },
        { "h-card", """{"type": ["h-card"], "properties": {"name": ["Someone"]}}""" },
        { "properties missing", """{"type": ["h-entry"]}""" },
        { "a string where an array belongs", """{"type": ["h-entry"], "properties": {"content": "x"}}""" },
        { "a number as a value", """{"type": ["h-entry"], "properties": {"content": [42]}}""" },
        { "two contents", """{"type": ["h-entry"], "properties": {"content": ["a", "b"]}}""" },
        { "a name as an object", """{"type": ["h-entry"], "properties": {"name": [{"html": "<b>x</b>"}], "content": ["x"]}}""" },
        { "duplicate keys", """{"type": ["h-entry"], "properties": {"content": ["a"], "content": ["b"]}}""" },
        { "a comment", """{"type": ["h-entry"], /* hi */ "properties": {"content": ["x"]}}""" },
        { "cut short", """{"type": ["h-entry"], "properties": {"content": ["x" """ },
        { "an unknown action", """{"action": "explode", "url": "http://localhost/2026/01/x"}""" },
        { "an action as a number", """{"action": 7}""" },
        { "an update with nothing to do", """{"action": "update", "url": "http://localhost/2026/01/x"}""" },
        { "an update of another site", """{"action": "update", "url": "https://elsewhere.example.test/2026/01/x", "replace": {"content": ["x"]}}""" },
        { "a post-status nobody knows", """{"type": ["h-entry"], "properties": {"content": ["x"], "post-status": ["pending"]}}""" },
        { "a published time without an offset", """{"type": ["h-entry"], "properties": {"content": ["x"], "published": ["2026-01-01T10:00:00"]}}""" },
        { "a published time that is not one", """{"type": ["h-entry"], "properties": {"content": ["x"], "published": ["yesterday"]}}""" },
        { "an http photo", """{"type": ["h-entry"], "properties": {"content": ["x"], "photo": ["http://photos.example.test/a.jpg"]}}""" },
        { "a javascript photo", """{"type": ["h-entry"], "properties": {"content": ["x"], "photo": ["javascript:alert(1)"]}}""" },
        { "a category with a comma", """{"type": ["h-entry"], "properties": {"content": ["x"], "category": ["a,b"]}}""" },
        { "a title over the limit", """{"type": ["h-entry"], "properties": {"name": [""" + "\"" + new string('t', 201) + "\"" + """], "content": ["x"]}}""" },
        { "a taken slug", """{"type": ["h-entry"], "properties": {"content": ["x"], "mp-slug": ["taken-slug"]}}""" },
    };

    [Theory]
    [MemberData(nameof(HostileJson))]
    public async Task MalformedJsonIsInvalidRequestAndStoresNothing(string what, string json)
    {
        var (token, _) = await _client.TokenAsync();
        await _client.CreateAsync(token, """{"content": ["Holds the slug."], "mp-slug": ["taken-slug"]}""").ContinueWith(_ => Task.CompletedTask);
        var before = _client.CountPosts();

        using var response = await _client.PostJsonTextAsync(token, json);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var error = await MicropubApp.ErrorOfAsync(response);
        Assert.Equal("invalid_request", error.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("error_description").GetString()));
        Assert.Equal(before, _client.CountPosts());
    }

    [Fact]
    public async Task JsonNestedTenThousandDeepIsInvalidRequest()
    {
        var (token, _) = await _client.TokenAsync();
        var json = """{"type": ["h-entry"], "properties": {"content": """ + new string('[', 10_000) + new string(']', 10_000) + "}}";

        using var response = await _client.PostJsonTextAsync(token, json);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task JsonOverTheSizeLimitIs413()
    {
        var (token, _) = await _client.TokenAsync();
        var json = """{"type": ["h-entry"], "properties": {"content": [" """ + new string('x', 3 * 1024 * 1024) + "\"]}}";

        using var response = await _client.PostJsonTextAsync(token, json);

        await AssertRefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, "invalid_request");
    }

    [Fact]
    public async Task BodyOverTheContentLimitIsRefusedWithTheEditorsMessage()
    {
        var (token, _) = await _client.TokenAsync();

        using var response = await _client.PostFormAsync(token, ("content", new string('w', 200_001)));

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("the limit is 200,000", (await MicropubApp.ErrorOfAsync(response)).GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HugeCategoryListIsRefusedNotStored()
    {
        var (token, _) = await _client.TokenAsync();
        var categories = string.Join(", ", Enumerable.Range(0, 20_000).Select(i => $"\"c{i}\""));

        using var response = await _client.PostJsonTextAsync(token, $$$"""{"type": ["h-entry"], "properties": {"content": ["x"], "category": [{{{categories}}}]}}""");

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task FormWithThousandsOfFieldsIsInvalidRequest()
    {
        var (token, _) = await _client.TokenAsync();
        var fields = Enumerable.Range(0, 5_000).Select(i => ("category[]", $"c{i}")).Prepend(("content", "x")).ToArray();

        using var response = await _client.PostFormAsync(token, fields);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("text/plain", "h=entry&content=x")]
    [InlineData("application/xml", "<entry/>")]
    [InlineData("application/json; charset=utf-16", "{}")]
    public async Task WrongContentTypeIsInvalidRequest(string contentType, string body)
    {
        var (token, _) = await _client.TokenAsync();

        using var response = await _client.PostJsonTextAsync(token, body, contentType);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task NonUtf8JsonIsInvalidRequest()
    {
        var (token, _) = await _client.TokenAsync();
        byte[] latin1 = [.. "{\"type\": [\"h-entry\"], \"properties\": {\"content\": [\"caf"u8, 0xE9, .. "\"]}}"u8];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/micropub") { Content = new ByteArrayContent(latin1) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Authorization = new("Bearer", token);

        using var response = await _client.Http.SendAsync(request);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task NonUtf8FormIsInvalidRequestAndStoresNothing()
    {
        var (token, _) = await _client.TokenAsync();
        var before = _client.CountPosts();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/micropub") { Content = new ByteArrayContent(Encoding.ASCII.GetBytes("content=caf%E9+%00au+lait")) };
        request.Content.Headers.ContentType = new("application/x-www-form-urlencoded");
        request.Headers.Authorization = new("Bearer", token);

        using var response = await _client.Http.SendAsync(request);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(before, _client.CountPosts());
    }

    [Theory]
    [InlineData("h=card&name=Someone")]
    [InlineData("action=update&url=http%3A%2F%2Flocalhost%2F2026%2F01%2Fx&replace%5Bcontent%5D=x")]
    [InlineData("content=a&content=b")]
    [InlineData("content=x&photo=ftp%3A%2F%2Fexample.test%2Fa.jpg")]
    [InlineData("action=delete")]
    [InlineData("action=delete&url=http%3A%2F%2Flocalhost%2F2026%2F01%2Fno-such-post")]
    [InlineData("action=undelete&url=%00%00")]
    public async Task MalformedFormIsInvalidRequest(string body)
    {
        var (token, _) = await _client.TokenAsync();
        var before = _client.CountPosts();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/micropub") { Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded") };
        request.Headers.Authorization = new("Bearer", token);

        using var response = await _client.Http.SendAsync(request);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(before, _client.CountPosts());
    }

    [Theory]
    [InlineData("")]
    [InlineData("q=unknown")]
    [InlineData("q=source")]
    [InlineData("q=source&url=http%3A%2F%2Flocalhost%2Fp%2Fnothing")]
    public async Task QueryWithoutWhatItNeedsIsInvalidRequest(string query)
    {
        var (token, _) = await _client.TokenAsync();

        using var response = await _client.QueryAsync(token, query);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("Bearer \u00e9\u00e9")]
    public async Task QueryWithABadAuthorizationHeaderIs401(string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/micropub?q=config");
        request.Headers.TryAddWithoutValidation("Authorization", header);

        using var response = await _client.Http.SendAsync(request);

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData("an SVG")]
    [InlineData("no file")]
    [InlineData("two files")]
    public async Task MediaEndpointRefusesWhatIsNotOnePicture(string what)
    {
        var (token, _) = await _client.TokenAsync("media");
        using var content = what switch
        {
            "an SVG" => Picture(TestImages.SvgWithScript(), "drawing.svg"),
            "no file" => new MultipartFormDataContent { { new StringContent("x"), "alt" } },
            _ => Picture(),
        };
        if (what == "two files")
        {
            content.Add(new ByteArrayContent(TestImages.Png(50, 50)), "file", "second.png");
        }

        using var response = await _client.PostMultipartAsync("/micropub/media", token, content);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task UploadedPictureWithoutAltIsDescribedByThePostThatShowsIt()
    {
        var (token, _) = await _client.TokenAsync();
        using var upload = await _client.PostMultipartAsync("/micropub/media", token, Picture());
        var picture = upload.Headers.Location!.ToString();

        var url = await _client.CreateAsync(token, $$"""{"content": ["With a picture."], "photo": [{"value": "{{picture}}", "alt": "A red mark on a gradient"}]}""");

        var page = BlogClient.Parse(await _client.ReadTextAsync(url));
        Assert.Equal("A red mark on a gradient", page.QuerySelector("article picture img")?.GetAttribute("alt"));
        using var connection = app.OpenDatabase();
        Assert.Equal(1L, connection.ExecuteScalar<long>("SELECT decorative FROM media ORDER BY id DESC LIMIT 1"));
    }

    private static MultipartFormDataContent Picture(byte[]? bytes = null, string fileName = "picture.jpg") =>
        new() { { new ByteArrayContent(bytes ?? TestImages.Jpeg(320, 240)), "file", fileName } };

    /// <summary>The address of a new post of <paramref name="authorId"/>, made with a token of theirs; deleted when asked.</summary>
    private async Task<string> PostOfAsync(string authorId, bool deleted)
    {
        var (token, _) = await IssueForAsync(authorId);
        var url = await _client.CreateAsync(token, """{"content": ["Someone's post."]}""");
        if (deleted)
        {
            using var response = await _client.PostFormAsync(token, ("action", "delete"), ("url", url));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
        return url;
    }

    private Task<(string Token, Blog.Web.Features.IndieAuth.AccessToken Row)> IssueForAsync(string memberId) =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Blog.Web.Features.IndieAuth.AccessTokenStore>(app.Services)
            .IssueAsync(memberId, "https://app.example.test/", "Test app", MicropubApp.AllScopes, null, CancellationToken.None);

    private Task<HttpResponseMessage> SendAsync(string token, string action, string url) => action switch
    {
        "update" => _client.PostJsonTextAsync(token, $$$"""{"action": "update", "url": "{{{url}}}", "add": {"category": ["extra"]}}"""),
        "source" => _client.QueryAsync(token, "q=source&url=" + Uri.EscapeDataString(url)),
        _ => _client.PostFormAsync(token, ("action", action), ("url", url)),
    };

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(error, MicropubApp.ErrorOfAsync(response).Result.GetProperty("error").GetString());
    }

    public void Dispose() => _client.Dispose();
}
