using System.Net;
using System.Text;
using Blog.Web.Features.Posts;
using Blog.Web.Hosting;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Hosting;

public sealed class BadInputTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    [Fact]
    public void CleaningDropsControlCharactersButKeepsLineBreaksAndTabs()
    {
        Assert.Equal("ab\tc\r\nd€", CleanTextModelBinder.Clean("a\0b\tc\r\n\u0007d\u001B€\u0085"));
    }

    [Fact]
    public async Task ControlCharactersInAFormAreDroppedAndTheRestOfTheTextIsKept()
    {
        using var client = new BlogClient(app);

        using var response = await client.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["DisplayName"] = "Escape\u001B and\u0007 bell",
            ["Email"] = "not an email\u0008",
            ["Password"] = "x",
            ["ConfirmPassword"] = "x",
        });
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Escape and bell", page.QuerySelector("input[name=DisplayName]")!.GetAttribute("value"));
        Assert.Equal("not an email", page.QuerySelector("input[name=Email]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task ANulCharacterInAFormIsABadRequestWithAFriendlyPage()
    {
        using var client = new BlogClient(app);

        using var response = await client.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["DisplayName"] = "Nul\0",
            ["Email"] = "someone@example.test",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("That request didn't make sense", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/account/sign-in?returnUrl=%FF%FE%00")]
    [InlineData("/account/register?returnUrl=%C0%AF")]
    [InlineData("/error/99999999999")]
    public async Task MalformedQueryValuesNeverCauseAServerError(string path)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.True((int)response.StatusCode < 500, $"{path} answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task InvalidUtf8InAFormBodyIsNotAServerError()
    {
        using var client = new BlogClient(app);
        var token = await client.AntiforgeryTokenAsync("/account/sign-in");
        var body = Encoding.ASCII.GetBytes($"{BlogClient.AntiforgeryField}={Uri.EscapeDataString(token)}&Email=")
            .Concat(new byte[] { 0xC3, 0x28, 0xFF, 0xFE })
            .Concat(Encoding.ASCII.GetBytes("&Password=%FF%FE%FD"))
            .ToArray();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");

        using var response = await client.Http.PostAsync("/account/sign-in", content);

        Assert.True((int)response.StatusCode < 500, $"answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task AnOversizedFormIsRefusedWithoutAServerError()
    {
        using var client = new BlogClient(app);

        using var response = await client.SubmitFormAsync("/account/sign-in", new Dictionary<string, string>
        {
            ["Email"] = new string('a', 6 * 1024 * 1024),
            ["Password"] = "whatever it is",
        });

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge,
            $"answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task AFormWithThousandsOfFieldsIsRefusedWithoutAServerError()
    {
        using var client = new BlogClient(app);
        var fields = Enumerable.Range(0, 5000).ToDictionary(i => $"f{i}", i => "x");
        fields["Email"] = "someone@example.test";

        using var response = await client.SubmitFormAsync("/account/sign-in", fields);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge,
            $"answered {(int)response.StatusCode}");
    }

    /// <summary>Headers a hostile or broken client might send, by name; built in code, some are hundreds of kilobytes.</summary>
    internal static readonly Dictionary<string, (string Header, string Value)> HostileHeaders = new()
    {
        ["huge Accept-Language"] = ("Accept-Language", string.Join(',', Enumerable.Repeat("en-GB", 20_000))),
        ["junk Accept-Language"] = ("Accept-Language", "@@;;==,,;q=;q=x,\"quoted\",*-*-*,xx-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX,\u00e9\u00ff"),
        ["bad q values"] = ("Accept-Language", "en;q=2, fr;q=-1, de;q=NaN, it;q=1e9, es;q=0.0000001, nl;q=, pt;q"),
        ["many q values"] = ("Accept-Language", string.Join(',', Enumerable.Range(0, 5_000).Select(i => $"x{i % 100}-{i};q=0.{i % 1000:D3}"))),
        ["many cookies"] = ("Cookie", string.Join("; ", Enumerable.Range(0, 3_000).Select(i => $"c{i}=v{i}"))),
        ["a huge cookie"] = ("Cookie", "big=" + new string('x', 500_000)),
        ["a junk sign-in cookie"] = ("Cookie", ".Quire.Auth=%%%not-base64%%%=="),
        ["a huge sign-in cookie"] = ("Cookie", ".Quire.Auth=" + new string('A', 300_000)),
        ["a sign-in cookie of endless chunks"] = ("Cookie", ".Quire.Auth=chunks-2147483647; .Quire.AuthC1=abc"),
        ["a sign-in cookie of negative chunks"] = ("Cookie", ".Quire.Auth=chunks--5"),
        ["junk two-factor cookies"] = ("Cookie", "Identity.TwoFactorUserId=@@@; .AspNetCore.Identity.TwoFactorRememberMe=chunks-99; Identity.TwoFactorRememberMe=%00%ff"),
        ["junk antiforgery cookies"] = ("Cookie", string.Join("; ", Enumerable.Range(0, 50).Select(i => $".AspNetCore.Antiforgery.{i}=%ZZ{new string('q', 1_000)}"))),
        ["malformed cookie syntax"] = ("Cookie", ";;;=;==; =x; \"unterminated; a=\"b; c=d=e=f; ;"),
        ["a very long If-None-Match"] = ("If-None-Match", "\"" + new string('a', 200_000) + "\""),
        ["unquoted If-None-Match"] = ("If-None-Match", "abc, W/def, W/, W/\"\", \"\"\", \"a\"b\""),
        ["a star If-None-Match"] = ("If-None-Match", "*"),
        ["a star among tags"] = ("If-None-Match", "\"a\", *, W/\"b\""),
        ["many ETags"] = ("If-None-Match", string.Join(", ", Enumerable.Range(0, 20_000).Select(i => $"W/\"{i}\""))),
        ["odd quoting"] = ("If-None-Match", "\"\\\"\", W/\"\\\", \"\u00e9\", ,,,, W/W/\"x\""),
    };

    public static TheoryData<string> HostileHeaderNames => [.. HostileHeaders.Keys];

    [Theory]
    [MemberData(nameof(HostileHeaderNames))]
    public async Task HostileHeadersAreAnsweredWithoutAServerError(string name)
    {
        using var client = new BlogClient(app);

        await AssertNoServerErrorAsync(app, client.Http, name);
    }

    /// <summary>A form sent with hostile cookies or language headers is refused (400) or handled, never a 500.</summary>
    [Theory]
    [MemberData(nameof(HostileHeaderNames))]
    public async Task HostileHeadersOnAFormPostAreAnsweredWithoutAServerError(string name)
    {
        var (header, value) = HostileHeaders[name];
        using var client = new BlogClient(app);
        var token = await client.AntiforgeryTokenAsync("/account/sign-in");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                [BlogClient.AntiforgeryField] = token, ["Email"] = "nobody@example.test", ["Password"] = "not this one",
            }),
        };
        Assert.True(request.Headers.TryAddWithoutValidation(header, value));

        using var response = await client.Http.SendAsync(request);

        Assert.True((int)response.StatusCode < 500, $"{name} answered {(int)response.StatusCode}");
    }

    /// <summary>
    /// Reader pages (the first visit fills the cache, the second is answered from it), a post, a page, feeds, a
    /// form and a members-only page, each fetched with one hostile header: a 400 or the normal answer.
    /// </summary>
    internal static async Task AssertNoServerErrorAsync(BlogAppFactory app, HttpClient client, string name)
    {
        var (header, value) = HostileHeaders[name];
        var published = DateTime.UtcNow.AddDays(-1);
        var (_, postSlug) = PostSeeder.Insert(app, new SeedPost { Title = "Headers", PublishedAt = published });
        var (_, pageSlug) = PostSeeder.Insert(app, new SeedPost { Kind = "page", Title = "Headers page" });
        string[] paths =
        [
            "/", "/", PostUrls.PostPath(published, postSlug, TimeZoneInfo.Utc), PostUrls.PagePath(pageSlug),
            "/feeds/posts/default", "/feeds/comments/default", "/search?q=headers", "/account/sign-in", "/account",
        ];

        foreach (var path in paths)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            Assert.True(request.Headers.TryAddWithoutValidation(header, value));

            using var response = await client.SendAsync(request);

            Assert.True((int)response.StatusCode < 500, $"{name} on {path} answered {(int)response.StatusCode}");
        }
    }
}

/// <summary>
/// The same hostile headers over a real socket, where Kestrel's own limits apply before the app sees anything
/// (oversized headers get a 431, bytes outside ASCII a 400).
/// </summary>
public sealed class BadHeadersOnKestrelTests(Features.Authoring.LargeBodyTests.OnKestrel app) : IClassFixture<Features.Authoring.LargeBodyTests.OnKestrel>
{
    [Theory]
    [MemberData(nameof(BadInputTests.HostileHeaderNames), MemberType = typeof(BadInputTests))]
    public async Task HostileHeadersAreAnsweredWithoutAServerError(string name)
    {
        // A plain client: it sends the header bytes as given (UTF-8 where .NET would refuse non-ASCII) and adds no cookies.
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 };
        using var client = new HttpClient(handler) { BaseAddress = app.ClientOptions.BaseAddress };

        await BadInputTests.AssertNoServerErrorAsync(app, client, name);
    }
}
