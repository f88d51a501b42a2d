using System.Text.Json;
using System.Text.RegularExpressions;
using Blog.Web.Content;
using Blog.Web.Tests.Infrastructure;
using Blog.Web.Tests.Security;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Blog.Web.Tests.Content;

public sealed partial class PostRendererTests(ITestOutputHelper output)
{
    private static readonly PostRenderer Renderer = new(new PostHtmlSanitizer(), Options.Create(new ContentOptions()));

    /// <summary>Attacks that must be defused even when the shared fixtures folder is absent.</summary>
    public static TheoryData<string> NastyPayloads => new()
    {
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.test/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">click</a>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](&#106;avascript:alert(1))",
        "![x](javascript:alert(1))",
        "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
        "<iframe src=\"https://evil.test\"></iframe>",
        "<style>body{display:none}</style>",
        "<p style=\"background:url(javascript:alert(1))\">x</p>",
        "<svg onload=alert(1)>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<form action=\"https://evil.test\"><input name=a><button>go</button></form>",
        "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
        "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
        "<img src=\"data:image/png;base64,iVBORw0KGgo=\">",
        "<div onmouseover=\"alert(1)\">hover</div>",
        "<base href=\"https://evil.test/\"><meta http-equiv=\"refresh\" content=\"0;url=https://evil.test\">",
        "<details open ontoggle=alert(1)>",
        "<a href=\"vbscript:msgbox(1)\">x</a>",
        "<<script>script>alert(1)<</script>/script>",
        "<p id=\"main\">clobber</p>",
        // A link the parser would try to fetch, with a host .NET cannot parse: once threw from inside the sanitizer.
        "<link rel=import href=//example.test(<x>",
        "<link rel=stylesheet href=\"//[::1\">",
    };

    [Fact]
    public async Task MarkdownFeaturesRenderToHtml()
    {
        var body = await RenderBodyAsync("""
            # Heading

            Some *emphasis*, **strong** and `code`; a [link](https://example.test/a?b=1) and <https://auto.test>.
            Also www.example.org gets linked.

            | Fruit | Count |
            |-------|------:|
            | Apple | 3     |

            - [x] done
            - [ ] todo

            > quoted

            ```csharp
            var x = 1;
            ```

            A claim.[^1]

            [^1]: The source.

            ![A cat](https://example.test/cat.png "Cat")
            """);

        Assert.Contains("<h1>Heading</h1>", body.Html, StringComparison.Ordinal);
        Assert.Contains("<em>emphasis</em>", body.Html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.test/a?b=1\">link</a>", body.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://auto.test\"", body.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"http://www.example.org\"", body.Html, StringComparison.Ordinal);
        Assert.Contains("<table>", body.Html, StringComparison.Ordinal);
        Assert.Contains("<td>Apple</td>", body.Html, StringComparison.Ordinal);
        Assert.Contains("class=\"task-done\"", body.Html, StringComparison.Ordinal);
        Assert.Contains("class=\"task-open\"", body.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<input", body.Html, StringComparison.Ordinal);
        Assert.Contains("<blockquote>", body.Html, StringComparison.Ordinal);
        Assert.Contains("<code class=\"language-csharp\">", body.Html, StringComparison.Ordinal);
        Assert.Contains("<sup>1</sup>", body.Html, StringComparison.Ordinal);
        Assert.Contains("id=\"fn:1\"", body.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"#fn:1\"", body.Html, StringComparison.Ordinal);
        Assert.Contains("class=\"footnotes\"", body.Html, StringComparison.Ordinal);
        Assert.Contains("<img src=\"https://example.test/cat.png\" alt=\"A cat\" title=\"Cat\">", body.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainTextAndExcerptComeFromTheSanitizedBody()
    {
        var words = string.Join(' ', Enumerable.Range(1, 80).Select(i => "word" + i));

        var body = await RenderBodyAsync("# Title\n\nFirst *para*.<script>secret()</script>\n\n" + words);

        Assert.StartsWith("Title First para. word1 word2", body.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", body.Text, StringComparison.Ordinal);
        Assert.True(body.Excerpt.Length <= PostRenderer.ExcerptLength + 1, body.Excerpt);
        Assert.EndsWith("…", body.Excerpt, StringComparison.Ordinal);
        Assert.Matches(@"word\d+…$", body.Excerpt);
        Assert.StartsWith(body.Excerpt[..^1], body.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShortBodiesAreTheirOwnExcerpt()
    {
        var body = await RenderBodyAsync("Just this.");

        Assert.Equal("Just this.", body.Excerpt);
        Assert.Equal("<p>Just this.</p>\n", body.Html);
    }

    [Theory]
    [MemberData(nameof(NastyPayloads))]
    public async Task SanitizerDefusesBuiltInPayloads(string payload)
    {
        var html = (await RenderBodyAsync(payload)).Html;

        AssertSafe(payload, html);
    }

    [Fact]
    public async Task SanitizerDefusesEveryPayloadOfTheXssList()
    {
        var payloads = XssPayloads.All;

        foreach (var payload in payloads)
        {
            AssertSafe(payload, (await RenderBodyAsync(payload)).Html);
            AssertSafe(payload, (await RenderBodyAsync($"Before\n\n{payload}\n\nafter [x]({payload})")).Html);
        }

        Assert.NotEmpty(payloads);
        Assert.True(!XssPayloads.FromFixture || payloads.Count > 100, $"Only {payloads.Count} payloads were read from the shared fixture.");
        output.WriteLine($"{payloads.Count} XSS payloads defused ({(XssPayloads.FromFixture ? "shared fixture and built-in" : "built-in only")}).");
    }

    /// <summary>
    /// The project's own examples must all render as CommonMark says; the full spec, when the shared fixtures are
    /// there, must mostly match (Markdig's extensions, such as autolinked www addresses, change a few examples).
    /// </summary>
    [Fact]
    public async Task MarkdownRendersAsCommonMarkSays()
    {
        var ownMismatches = new List<string>();
        foreach (var (markdown, html) in MarkdownExamples.All)
        {
            var rendered = Normalize((await RenderBodyAsync(markdown)).Html);
            var expected = Normalize(new PostHtmlSanitizer().Sanitize(html));
            if (rendered != expected)
            {
                ownMismatches.Add($"{markdown}\n  expected: {expected}\n  rendered: {rendered}");
            }
        }

        Assert.True(ownMismatches.Count == 0, string.Join("\n", ownMismatches));
        Assert.True(MarkdownExamples.All.Count >= 30);
        if (RepositoryRoot.FixturesPath is { } fixtures)
        {
            await AssertMostOfTheSpecMatchesAsync(Path.Combine(fixtures, "commonmark", "spec-0.31.2.json"));
        }
    }

    private async Task AssertMostOfTheSpecMatchesAsync(string specPath)
    {
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(specPath));
        var examples = json.RootElement.EnumerateArray().ToList();
        var matched = 0;

        foreach (var example in examples)
        {
            var html = (await RenderBodyAsync(example.GetProperty("markdown").GetString())).Html;
            var expected = new PostHtmlSanitizer().Sanitize(example.GetProperty("html").GetString()!);
            matched += Normalize(html) == Normalize(expected) ? 1 : 0;
        }

        output.WriteLine($"CommonMark 0.31.2: {matched} of {examples.Count} examples match after sanitizing.");
        Assert.True(matched >= examples.Count * 0.85, $"Only {matched} of {examples.Count} CommonMark examples match.");
    }

    [Fact]
    public async Task BodiesOverTheLimitAreRefusedWithAClearMessage()
    {
        var small = new PostRenderer(new PostHtmlSanitizer(), Options.Create(new ContentOptions { MaxBodyLength = 1_000 }));
        var tooLong = new string('a', 1_001);

        var message = small.CheckLength(tooLong);

        Assert.Null(small.CheckLength(new string('a', 1_000)));
        Assert.Equal("The body is 1,001 characters long; the limit is 1,000. Split it into two posts or shorten it.", message);
        Assert.Equal(message, (await small.RenderAsync(tooLong)).Error);
    }

    [Theory]
    [InlineData("> ", 100_000)]
    [InlineData("- ", 50_000)]
    [InlineData("* ", 50_000)]
    [InlineData("[", 150_000)]
    [InlineData("*a ", 60_000)]
    [InlineData("<div>", 30_000)]
    [InlineData("`", 150_000)]
    [InlineData("![a](", 30_000)]
    public async Task MarkdownBombsRenderOrAreRefusedWithoutCrashing(string piece, int repeats)
    {
        var bomb = string.Concat(Enumerable.Repeat(piece, repeats))[..Math.Min(piece.Length * repeats, 190_000)] + "\n\nboom";

        // The renderer's own time limit bounds the wait; how long it takes is the benchmark's business, not a test's.
        var result = await Renderer.RenderAsync(bomb);

        Assert.True(result.Body is null ? result.Error is { Length: > 20 } : result.Body.Text.Contains("boom", StringComparison.Ordinal),
            result.Error ?? result.Body!.Text[..Math.Min(200, result.Body.Text.Length)]);
    }

    [Fact]
    public async Task DeeplyNestedMarkdownIsRefusedWithAClearMessage()
    {
        var limit = new ContentOptions().MaxNestingDepth;
        var nested = string.Concat(Enumerable.Range(0, limit + 20).Select(i => new string(' ', i * 2) + "- item\n"));
        var shallow = string.Concat(Enumerable.Range(0, 5).Select(i => new string(' ', i * 2) + "- item\n"));

        // A generous time limit: this test is about the nesting message, which a busy machine must not turn into
        // the time limit's.
        var renderer = new PostRenderer(new PostHtmlSanitizer(), Options.Create(new ContentOptions { RenderTimeout = TimeSpan.FromMinutes(2) }));

        var refused = await renderer.RenderAsync(nested);
        var accepted = await renderer.RenderAsync(shallow);

        Assert.Null(refused.Body);
        Assert.StartsWith("The Markdown is nested too deeply", refused.Error, StringComparison.Ordinal);
        Assert.Equal(5, MaxDepth(accepted.Body!.Html, "<ul>", "</ul>"));
    }

    private static int MaxDepth(string html, string open, string close)
    {
        int depth = 0, max = 0;
        foreach (Match m in Regex.Matches(html, Regex.Escape(open) + "|" + Regex.Escape(close)))
        {
            depth += m.Value == open ? 1 : -1;
            max = Math.Max(max, depth);
        }
        return max;
    }

    [Fact]
    public async Task HalfSurrogatesRenderAsReplacementCharacters()
    {
        // Built in code, not in [InlineData]: xUnit's test-case serialization would repair the strings first.
        string[] cases = ["https://example.test/\uD800\uE000 and more", "[link](https://example.test/\uDBFF\uE000) and more", "\uDBFF text and more"];

        foreach (var markdown in cases)
        {
            var body = await RenderBodyAsync(markdown);

            Assert.Contains("and more", body.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(body.Html, char.IsSurrogate);
        }
    }

    private static async Task<RenderedBody> RenderBodyAsync(string? markdown)
    {
        var result = await Renderer.RenderAsync(markdown);
        return result.Body ?? throw new InvalidOperationException(result.Error);
    }

    private static void AssertSafe(string payload, string html)
    {
        var parsed = BlogClient.Parse("<body>" + html + "</body>");
        var elements = parsed.Body!.QuerySelectorAll("*").ToList();
        Assert.False(elements.Any(e => e.LocalName is "script" or "iframe" or "style" or "form" or "input" or "button" or "object" or "embed" or "svg" or "math" or "base" or "meta"),
            $"Dangerous element survived.\nPayload: {payload}\nHTML: {html}");
        foreach (var attribute in elements.SelectMany(e => e.Attributes))
        {
            Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"Event handler survived.\nPayload: {payload}\nHTML: {html}");
            Assert.False(attribute.Name is "style" or "srcdoc" or "formaction", $"{attribute.Name} survived.\nPayload: {payload}\nHTML: {html}");
            var value = new string(attribute.Value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
            Assert.False(value.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase)
                || value.StartsWith("vbscript:", StringComparison.OrdinalIgnoreCase)
                || value.StartsWith("data:", StringComparison.OrdinalIgnoreCase),
                $"Dangerous URL survived.\nPayload: {payload}\nHTML: {html}");
        }
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    private static string Normalize(string html) => Whitespace().Replace(html, " ").Replace(" />", ">", StringComparison.Ordinal).Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
