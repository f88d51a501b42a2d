using System.Net;
using System.Text.Json;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Micropub;

/// <summary>
/// The server tests of the Micropub test suite (micropub.rocks), one row per case number: creating posts (100s form,
/// 200s JSON, 300s multipart), updating (400s), deleting (500s), queries (600s), the media endpoint (700s) and
/// authentication (800s). Each case checks what the blog stored and what a reader then sees.
/// </summary>
public sealed class MicropubRocksTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>, IDisposable
{
    private readonly MicropubApp _client = new(app);

    private static readonly Dictionary<string, Func<MicropubRocksTests, Task>> Cases = new()
    {
        ["100 create an h-entry (form-encoded)"] = t => t.FormCreateAsync(("h", "entry"), ("content", "Hello from case one hundred.")),
        ["101 create an h-entry with multiple categories (form-encoded)"] = t => t.FormCreateAsync(("h", "entry"), ("content", "Two labels."), ("category[]", "indieweb"), ("category[]", "micropub")),
        ["104 create an h-entry with a photo referenced by URL (form-encoded)"] = t => t.FormCreateAsync(("h", "entry"), ("content", "A sunset."), ("photo", "https://photos.example.test/sunset.jpg")),
        ["107 create an h-entry with one category (form-encoded)"] = t => t.FormCreateAsync(("h", "entry"), ("content", "One label."), ("category", "solo")),
        ["200 create an h-entry (JSON)"] = t => t.JsonCreateAsync("""{"content": ["Hello from case two hundred."]}""", "Hello from case two hundred."),
        ["201 create an h-entry with multiple categories (JSON)"] = t => t.Case201Async(),
        ["202 create an h-entry with HTML content (JSON)"] = t => t.Case202Async(),
        ["203 create an h-entry with a photo referenced by URL (JSON)"] = t => t.JsonCreateAsync("""{"content": ["Photo by address."], "photo": ["https://photos.example.test/203.jpg"]}""", "https://photos.example.test/203.jpg"),
        ["204 create an h-entry with a nested object (JSON)"] = t => t.Case204Async(),
        ["205 create an h-entry with a photo with alt text (JSON)"] = t => t.Case205Async(),
        ["206 create an h-entry with multiple photos referenced by URL (JSON)"] = t => t.Case206Async(),
        ["300 create an h-entry with a photo (multipart)"] = t => t.MultipartCreateAsync(1),
        ["301 create an h-entry with two photos (multipart)"] = t => t.MultipartCreateAsync(2),
        ["400 replace a property"] = t => t.Case400Async(),
        ["401 add a value to an existing property"] = t => t.Case401Async(),
        ["402 add a value to a property that does not exist yet"] = t => t.Case402Async(),
        ["403 remove a value from a property"] = t => t.Case403Async(),
        ["404 remove a property"] = t => t.Case404Async(),
        ["405 reject an update whose operation is not an array"] = t => t.Case405Async(),
        ["500 delete a post (form-encoded)"] = t => t.DeleteAndUndeleteAsync(json: false, undelete: false),
        ["501 delete a post (JSON)"] = t => t.DeleteAndUndeleteAsync(json: true, undelete: false),
        ["502 undelete a post (form-encoded)"] = t => t.DeleteAndUndeleteAsync(json: false, undelete: true),
        ["503 undelete a post (JSON)"] = t => t.DeleteAndUndeleteAsync(json: true, undelete: true),
        ["600 configuration query"] = t => t.Case600Async(),
        ["601 syndication endpoint query"] = t => t.Case601Async(),
        ["602 source query (all properties)"] = t => t.Case602Async(),
        ["603 source query (specific properties)"] = t => t.Case603Async(),
        ["700 upload a jpg to the media endpoint"] = t => t.MediaUploadAsync(TestImages.Jpeg(640, 480), "photo.jpg", "image/jpeg"),
        ["701 upload a png to the media endpoint"] = t => t.MediaUploadAsync(TestImages.Png(300, 200, transparent: true), "photo.png", "image/png"),
        ["702 upload a gif to the media endpoint"] = t => t.MediaUploadAsync(TestImages.AnimatedGif(120, 90), "photo.gif", "image/gif"),
        ["800 accept the access token in the HTTP header"] = t => t.Case800Async(),
        ["801 accept the access token in the post body"] = t => t.Case801Async(),
        ["802 store nothing without an access token"] = t => t.RefusedCreateAsync(null, HttpStatusCode.Unauthorized, "unauthorized"),
        ["803 store nothing with an invalid access token"] = t => t.RefusedCreateAsync("not-a-token-of-this-blog", HttpStatusCode.Unauthorized, "unauthorized"),
        ["804 store nothing when the token lacks the scope"] = t => t.Case804Async(),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public Task MicropubRocksCase(string testCase) => Cases[testCase](this);

    private async Task<string> TokenAsync(string scope = MicropubApp.AllScopes) => (await _client.TokenAsync(scope)).Token;

    private async Task FormCreateAsync(params (string Key, string Value)[] fields)
    {
        var token = await TokenAsync();

        using var response = await _client.PostFormAsync(token, fields);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var page = await _client.ReadTextAsync(response.Headers.Location!.ToString());
        foreach (var (key, value) in fields.Where(f => f.Key != "h"))
        {
            var shown = key.StartsWith("category", StringComparison.Ordinal) ? "/search/label/" + value : value;
            Assert.Contains(shown, page, StringComparison.Ordinal);
        }
    }

    private async Task<string> JsonCreateAsync(string properties, string shownOnPage)
    {
        var token = await TokenAsync();

        var url = await _client.CreateAsync(token, properties);

        Assert.StartsWith("http://localhost/20", url, StringComparison.Ordinal);
        Assert.Contains(shownOnPage, await _client.ReadTextAsync(url), StringComparison.Ordinal);
        return url;
    }

    private async Task Case201Async()
    {
        var url = await JsonCreateAsync("""{"content": ["Labels by JSON."], "category": ["json-one", "json-two"]}""", "Labels by JSON.");

        var page = await _client.ReadTextAsync(url);
        Assert.Contains("/search/label/json-one", page, StringComparison.Ordinal);
        Assert.Contains("/search/label/json-two", page, StringComparison.Ordinal);
    }

    private async Task Case202Async()
    {
        const string Properties = """{"content": [{"html": "<p>This post has <b>bold</b> and <i>italic</i> text.</p><script>alert(1)</script>"}]}""";

        var url = await JsonCreateAsync(Properties, "<b>bold</b> and <i>italic</i>");

        Assert.DoesNotContain("alert(1)", await _client.ReadTextAsync(url), StringComparison.Ordinal);
    }

    private async Task Case204Async()
    {
        const string Properties = """
            {"content": ["Checked in."],
             "checkin": [{"type": ["h-card"], "properties": {"name": ["Venue"], "url": ["https://venue.example.test/"]}}]}
            """;

        var url = await JsonCreateAsync(Properties, "Checked in.");

        Assert.DoesNotContain("venue.example.test", await _client.ReadTextAsync(url), StringComparison.Ordinal);
    }

    private async Task Case205Async()
    {
        const string Properties = """{"content": ["Described photo."], "photo": [{"value": "https://photos.example.test/205.jpg", "alt": "Sunset over the lake"}]}""";

        var url = await JsonCreateAsync(Properties, "https://photos.example.test/205.jpg");

        var image = BlogClient.Parse(await _client.ReadTextAsync(url)).QuerySelector("img[src='https://photos.example.test/205.jpg']");
        Assert.Equal("Sunset over the lake", image?.GetAttribute("alt"));
    }

    private async Task Case206Async()
    {
        var url = await JsonCreateAsync("""{"content": ["Two photos."], "photo": ["https://photos.example.test/206a.jpg", "https://photos.example.test/206b.jpg"]}""", "206a.jpg");

        Assert.Contains("https://photos.example.test/206b.jpg", await _client.ReadTextAsync(url), StringComparison.Ordinal);
    }

    private async Task MultipartCreateAsync(int photos)
    {
        var token = await TokenAsync();
        var text = MicropubApp.Unique("Multipart photos");
        using var content = new MultipartFormDataContent { { new StringContent("entry"), "h" }, { new StringContent(text), "content" } };
        for (var i = 0; i < photos; i++)
        {
            content.Add(new ByteArrayContent(TestImages.Jpeg(400 + i * 40, 300)), photos == 1 ? "photo" : "photo[]", $"photo{i}.jpg");
        }

        using var response = await _client.PostMultipartAsync("/micropub", token, content);

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var page = BlogClient.Parse(await _client.ReadTextAsync(response.Headers.Location!.ToString()));
        Assert.Contains(text, page.Body!.TextContent, StringComparison.Ordinal);
        // The library's pictures are shown as responsive pictures with WebP sources.
        Assert.Equal(photos, page.QuerySelectorAll("article picture source[type='image/webp']").Length);
    }

    private async Task<(string Token, string Url)> PostToUpdateAsync(string categories = "[]")
    {
        var token = await TokenAsync();
        var url = await _client.CreateAsync(token, $$"""{"content": ["Before the update."], "category": {{categories}}}""");
        return (token, url);
    }

    /// <summary>Sends an update (<paramref name="changes"/>: its replace, add and delete members) and reads the post back.</summary>
    private async Task<JsonElement> UpdateAsync(string token, string url, string changes, HttpStatusCode expected = HttpStatusCode.NoContent)
    {
        using var response = await _client.PostJsonTextAsync(token, $$"""{"action": "update", "url": "{{url}}", {{changes}}}""");
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await _client.SourceAsync(token, url);
    }

    private async Task Case400Async()
    {
        var (token, url) = await PostToUpdateAsync();

        var source = await UpdateAsync(token, url, """ "replace": {"content": ["After the update."]} """);

        Assert.Equal("After the update.", source.GetProperty("content")[0].GetString());
        Assert.Contains("After the update.", await _client.ReadTextAsync(url), StringComparison.Ordinal);
    }

    private async Task Case401Async()
    {
        var (token, url) = await PostToUpdateAsync("""["first"]""");

        var source = await UpdateAsync(token, url, """ "add": {"category": ["second"]} """);

        Assert.Equal("first second", Categories(source));
    }

    private async Task Case402Async()
    {
        var (token, url) = await PostToUpdateAsync();

        var source = await UpdateAsync(token, url, """ "add": {"category": ["brand-new"]} """);

        Assert.Equal("brand-new", Categories(source));
    }

    private async Task Case403Async()
    {
        var (token, url) = await PostToUpdateAsync("""["keep", "drop"]""");

        var source = await UpdateAsync(token, url, """ "delete": {"category": ["drop"]} """);

        Assert.Equal("keep", Categories(source));
        Assert.DoesNotContain("/search/label/drop", await _client.ReadTextAsync(url), StringComparison.Ordinal);
    }

    private async Task Case404Async()
    {
        var (token, url) = await PostToUpdateAsync("""["gone"]""");

        var source = await UpdateAsync(token, url, """ "delete": ["category"] """);

        Assert.False(source.TryGetProperty("category", out _));
    }

    private async Task Case405Async()
    {
        var (token, url) = await PostToUpdateAsync();

        using var response = await _client.PostJsonTextAsync(token, $$$"""{"action": "update", "url": "{{{url}}}", "replace": {"content": "not an array"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await MicropubApp.ErrorOfAsync(response)).GetProperty("error").GetString());
        Assert.Equal("Before the update.", (await _client.SourceAsync(token, url)).GetProperty("content")[0].GetString());
    }

    private async Task DeleteAndUndeleteAsync(bool json, bool undelete)
    {
        var (token, url) = await PostToUpdateAsync();

        using (var deleted = await SendActionAsync(token, "delete", url, json))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using (var page = await _client.ReadAsync(url))
        {
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        }
        if (!undelete)
        {
            return;
        }
        using (var restored = await SendActionAsync(token, "undelete", url, json))
        {
            Assert.True(restored.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.Created, $"undelete answered {(int)restored.StatusCode}");
        }
        Assert.Contains("Before the update.", await _client.ReadTextAsync(url), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> SendActionAsync(string token, string action, string url, bool json) => json
        ? _client.PostJsonTextAsync(token, $$"""{"action": "{{action}}", "url": "{{url}}"}""")
        : _client.PostFormAsync(token, ("action", action), ("url", url));

    private async Task Case600Async()
    {
        var token = await TokenAsync();

        using var response = await _client.QueryAsync(token, "q=config");

        var config = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("http://localhost/micropub/media", config.GetProperty("media-endpoint").GetString());
        Assert.Equal(0, config.GetProperty("syndicate-to").GetArrayLength());
    }

    private async Task Case601Async()
    {
        var token = await TokenAsync();

        using var response = await _client.QueryAsync(token, "q=syndicate-to");

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("syndicate-to").GetArrayLength());
    }

    private async Task Case602Async()
    {
        var token = await TokenAsync();
        var url = await _client.CreateAsync(token, """{"name": ["Source test"], "content": ["Source body."], "category": ["src"]}""");

        using var response = await _client.QueryAsync(token, "q=source&url=" + Uri.EscapeDataString(url));

        var source = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("h-entry", source.GetProperty("type")[0].GetString());
        var properties = source.GetProperty("properties");
        Assert.Equal("Source test", properties.GetProperty("name")[0].GetString());
        Assert.Equal("Source body.", properties.GetProperty("content")[0].GetString());
        Assert.Equal("src", properties.GetProperty("category")[0].GetString());
        Assert.Equal("published", properties.GetProperty("post-status")[0].GetString());
    }

    private async Task Case603Async()
    {
        var token = await TokenAsync();
        var url = await _client.CreateAsync(token, """{"name": ["Some properties"], "content": ["Only some."], "category": ["picked"]}""");

        using var response = await _client.QueryAsync(token, "q=source&properties[]=content&properties[]=category&url=" + Uri.EscapeDataString(url));

        var source = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.False(source.TryGetProperty("type", out _));
        Assert.Equal("category content", string.Join(' ', source.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order()));
    }

    private async Task MediaUploadAsync(byte[] picture, string fileName, string contentType)
    {
        var token = await TokenAsync("media");
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(picture);
        file.Headers.ContentType = new(contentType);
        content.Add(file, "file", fileName);

        using var response = await _client.PostMultipartAsync("/micropub/media", token, content);

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var location = response.Headers.Location!.ToString();
        Assert.Matches("^http://localhost/media/[0-9a-f]{20}-[0-9]+\\.(jpg|png)$", location);
        using var served = await _client.ReadAsync(location);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    private async Task Case800Async()
    {
        var token = await TokenAsync();

        using var response = await _client.PostFormAsync(token, ("h", "entry"), ("content", "Token in the header."));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task Case801Async()
    {
        var token = await TokenAsync();

        using var response = await _client.PostFormAsync(null, ("h", "entry"), ("content", "Token in the body."), ("access_token", token));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains("Token in the body.", await _client.ReadTextAsync(response.Headers.Location!.ToString()), StringComparison.Ordinal);
    }

    private async Task Case804Async() => await RefusedCreateAsync(await TokenAsync("media"), HttpStatusCode.Forbidden, "insufficient_scope");

    private async Task RefusedCreateAsync(string? token, HttpStatusCode status, string error)
    {
        var before = _client.CountPosts();

        using var response = await _client.PostFormAsync(token, ("h", "entry"), ("content", "Must not be stored."));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(error, (await MicropubApp.ErrorOfAsync(response)).GetProperty("error").GetString());
        Assert.Equal(before, _client.CountPosts());
        if (status == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
    }

    private static string Categories(JsonElement properties) =>
        string.Join(' ', properties.GetProperty("category").EnumerateArray().Select(c => c.GetString()));

    public void Dispose() => _client.Dispose();
}
