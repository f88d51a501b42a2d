using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using Blog.Web.Content;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Blog.Web.Tests.Security;
using Dapper;
using Microsoft.Extensions.Options;
using static Blog.Web.Tests.Infrastructure.CommentTestData;

namespace Blog.Web.Tests.Features.Comments;

/// <summary>Hostile comment text, posted through the real endpoint, must come out harmless both in the database and on the page.</summary>
public sealed class CommentSanitizingTests(CommentAppFactory app) : IClassFixture<CommentAppFactory>
{
    private static readonly string[] NastyBuiltIn =
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">click</a>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<svg><script>alert(1)</script></svg>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<p style=\"background:url(javascript:alert(1))\" class=\"x\" onclick=\"alert(1)\">styled</p>",
        "<a href=\"https://ok.example\" onmouseover=\"alert(1)\">ok</a>",
        "![img](https://evil.example/x.png)",
        "<form action=\"/account/sign-out\"><button>Go</button></form>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<details open ontoggle=alert(1)>",
        "<a href=\"&#106;avascript:alert(1)\">entity</a>",
        "<IMG SRC=java\0script:alert(\"XSS\")>",
    ];

    [Fact]
    public async Task BuiltInNastyPayloadsAreStoredAndRenderedHarmless()
    {
        await AssertHarmlessAsync(NastyBuiltIn);
    }

    [Fact]
    public async Task EveryPayloadOfTheXssListIsStoredAndRenderedHarmless()
    {
        var payloads = XssPayloads.All;

        await AssertHarmlessAsync(payloads);

        Assert.NotEmpty(payloads);
        Assert.True(!XssPayloads.FromFixture || payloads.Count > 100, $"Only {payloads.Count} payloads were read from the shared fixture.");
    }

    [Fact]
    public async Task RendererKeepsTheNarrowAllowlistAndMarksEveryLink()
    {
        var renderer = new CommentRenderer(Options.Create(new ContentOptions()));

        var result = (await renderer.RenderAsync("**b** *i* `c`\n\n> q\n\n- one\n\n1. two\n\n[site](https://example.com) <mailto:me@example.com>\n\n```\ncode\n```")).Body!;

        Assert.Contains("<strong>b</strong>", result.Html, StringComparison.Ordinal);
        Assert.Contains("<em>i</em>", result.Html, StringComparison.Ordinal);
        Assert.Contains("<blockquote>", result.Html, StringComparison.Ordinal);
        Assert.Contains("<ul>", result.Html, StringComparison.Ordinal);
        Assert.Contains("<ol>", result.Html, StringComparison.Ordinal);
        Assert.Contains("<pre><code>", result.Html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.com\" rel=\"nofollow ugc noopener\">site</a>", result.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"mailto:me@example.com\" rel=\"nofollow ugc noopener\"", result.Html, StringComparison.Ordinal);
        Assert.Equal(2, result.LinkCount);
    }

    private async Task AssertHarmlessAsync(IReadOnlyList<string> payloads)
    {
        var postId = await CreatePostAsync(app);
        var (member, _) = await SignedInAsync(app, MemberRole.Owner);
        var token = await member.AntiforgeryTokenAsync(TokenPage);

        foreach (var payload in payloads)
        {
            using var response = await member.Http.PostAsync("/comments", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                [BlogClient.AntiforgeryField] = token,
                ["PostId"] = postId.ToString(CultureInfo.InvariantCulture),
                ["Body"] = payload,
            }));
            // A NUL character makes the framework's form reader refuse the whole form (400); everything else
            // is either stored (redirect to the comment) or refused with a message.
            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.BadRequest,
                $"{(int)response.StatusCode} for payload {payload}");
        }
        List<string> stored;
        using (var connection = app.OpenDatabase())
        {
            stored = connection.Query<string>("SELECT body_html FROM comments WHERE post_id = @Post", new { Post = postId }).ToList();
        }
        // The comment section of each page of the thread (the rest of the post page has scripts of its own).
        var sections = new List<string>();
        for (var page = 1; page <= 1 + (stored.Count / 50); page++)
        {
            var postPage = await member.GetPageAsync($"{PostPath(app, postId)}?commentPage={page}");
            sections.Add(postPage.QuerySelector("#comments")!.OuterHtml);
        }

        Assert.NotEmpty(stored);
        foreach (var html in stored)
        {
            AssertNoActiveContent(html);
            var links = BlogClient.Parse(html).QuerySelectorAll("a");
            Assert.All(links, link => Assert.Equal(CommentRenderer.LinkRel, link.GetAttribute("rel")));
        }
        foreach (var html in sections)
        {
            AssertNoActiveContent(html);
        }
    }

    private static void AssertNoActiveContent(string html)
    {
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        var document = BlogClient.Parse(html);
        foreach (var element in document.All)
        {
            Assert.True(element.LocalName is not ("script" or "iframe" or "img" or "style" or "svg" or "object" or "embed"),
                $"<{element.LocalName}> in {html}");
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"{attribute.Name}= in {element.OuterHtml}");
                Assert.NotEqual("style", attribute.Name);
                var value = new string(attribute.Value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
                Assert.False(value.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase)
                    || value.StartsWith("data:", StringComparison.OrdinalIgnoreCase)
                    || value.StartsWith("vbscript:", StringComparison.OrdinalIgnoreCase),
                    $"{attribute.Name}=\"{attribute.Value}\" in {element.OuterHtml}");
            }
        }
    }
}
