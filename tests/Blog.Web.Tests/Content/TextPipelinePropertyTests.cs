using System.Text.RegularExpressions;
using Blog.Web.Content;
using Blog.Web.Tests.Infrastructure;
using CsCheck;
using Microsoft.Extensions.Options;

namespace Blog.Web.Tests.Content;

/// <summary>
/// Properties of the text pipelines for arbitrary input (see <see cref="HostileTextGen"/>): rendering never
/// throws (input nested past the parser's limit is refused with a message) and never lets script through; slugs always keep their contract. CsCheck shrinks any failure to a
/// small input and prints it with the seed that reproduces it.
/// </summary>
public sealed partial class TextPipelinePropertyTests
{
    private const long Iterations = 3_000;

    /// <summary>The default limits, with a time limit a busy test machine cannot reach: these properties are about exceptions.</summary>
    private static readonly ContentOptions Limits = new() { RenderTimeout = TimeSpan.FromMinutes(2) };

    [Fact]
    public void PostBodiesNeverThrowAndNeverCarryScript()
    {
        var renderer = new PostRenderer(new PostHtmlSanitizer(), Options.Create(Limits));

        HostileTextGen.Markdown().Sample(markdown =>
        {
            var result = renderer.RenderAsync(markdown).GetAwaiter().GetResult();

            // A refusal is a message for the author (too deep, too slow), never an exception.
            if (result.Body is null)
            {
                Assert.False(string.IsNullOrWhiteSpace(result.Error));
                return;
            }
            AssertSafe(result.Body.Html);
        }, iter: Iterations);
    }

    [Fact]
    public void CommentsNeverThrowAndNeverCarryScript()
    {
        var renderer = new CommentRenderer(Options.Create(Limits));

        HostileTextGen.Markdown().Sample(markdown =>
        {
            var result = renderer.RenderAsync(markdown).GetAwaiter().GetResult();

            if (result.Body is not { } rendered)
            {
                Assert.False(string.IsNullOrWhiteSpace(result.Error));
                return;
            }
            AssertSafe(rendered.Html);
            var links = BlogClient.Parse(rendered.Html).QuerySelectorAll("a");
            Assert.All(links, link => Assert.Equal(CommentRenderer.LinkRel, link.GetAttribute("rel")));
            Assert.Equal(links.Length, rendered.LinkCount);
        }, iter: Iterations);
    }

    /// <summary>
    /// The generator must reach past the parser's nesting limit, or the two properties above would never meet the
    /// input that once crashed a comment: a good share of its samples must be refused as too deep.
    /// </summary>
    [Fact]
    public void TheMarkdownGeneratorNestsPastTheParsersLimit()
    {
        var renderer = new CommentRenderer(Options.Create(Limits));
        var tooDeep = MarkdownGuard.TooDeep(Limits.MaxNestingDepth);
        var refused = 0;

        HostileTextGen.Markdown().Sample(markdown =>
        {
            if (renderer.RenderAsync(markdown).GetAwaiter().GetResult().Error == tooDeep)
            {
                Interlocked.Increment(ref refused);
            }
        }, iter: 500, threads: 1);

        Assert.True(refused >= 50, $"Only {refused} of 500 samples nested past the limit.");
        Assert.True(HostileTextGen.MaxRun > Limits.MaxNestingDepth * 2);
    }

    [Fact]
    public void SlugsAreEmptyOrLowercaseAsciiWordsJoinedByDashes()
    {
        HostileTextGen.Text().Sample(text =>
        {
            var slug = Slugs.From(text);

            Assert.True(slug.Length == 0 || SlugShape().IsMatch(slug), $"Bad slug '{slug}'");
            Assert.True(slug.Length <= Slugs.MaxLength, $"Slug of {slug.Length} characters");
            Assert.Equal(slug, Slugs.From(slug));
        }, iter: Iterations);
    }

    [Fact]
    public void TitleSlugsAreNeverEmptyAndSuffixesKeepTheShape()
    {
        Gen.Select(HostileTextGen.Text(), Gen.Int[2, 100_000]).Sample((title, number) =>
        {
            var slug = Slugs.FromTitle(title);
            var suffixed = Slugs.WithSuffix(slug, number);

            Assert.Matches(SlugShape(), slug);
            Assert.Matches(SlugShape(), suffixed);
            Assert.True(suffixed.Length <= Slugs.MaxLength, $"Suffixed slug of {suffixed.Length} characters");
            Assert.EndsWith("-" + number.ToString(System.Globalization.CultureInfo.InvariantCulture), suffixed, StringComparison.Ordinal);
            Assert.Equal(Uri.EscapeDataString(slug), slug);
        }, iter: Iterations);
    }

    [Theory]
    [InlineData("<p onclick=\"x()\">a</p>")]
    [InlineData("<a href=\" java\tscript:alert(1)\">a</a>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<SCRIPT>alert(1)</SCRIPT>")]
    [InlineData("<svg><a xlink:href=\"javascript:alert(1)\">a</a></svg>")]
    [InlineData("<a href=\"data:text/html,x\">a</a>")]
    [InlineData("<iframe srcdoc=\"x\"></iframe>")]
    [InlineData("<form action=\"https://example.test\"><button>go</button></form>")]
    [InlineData("<p style=\"color:red\">a</p>")]
    [InlineData("<img srcset=\"a.png 1x, javascript:alert(1) 2x\">")]
    [InlineData("<a ping=\"https://example.test/ javascript:alert(1)\">a</a>")]
    public void TheCheckerCatchesWhatItLooksFor(string html)
    {
        Assert.NotEmpty(MarkupSafety.FragmentProblems(html));
    }

    [Theory]
    [InlineData("<p>&lt;script&gt;alert(1)&lt;/script&gt; onclick= javascript:alert(1)</p>")]
    [InlineData("<p><a href=\"https://example.test/?q=onclick=1\" title=\"a onclick=b &lt;img onerror=x&gt;\">link</a></p>")]
    [InlineData("<pre><code>&lt;img src=x onerror=alert(1)&gt;</code></pre>")]
    [InlineData("<p><a href=\"https://example.test/,,vbscript:x\">a</a><a href=\"https://example.test/p,data:text/html,javascript:x\">b</a></p>")]
    public void TheCheckerLetsEscapedTextThrough(string html)
    {
        Assert.Empty(MarkupSafety.FragmentProblems(html));
    }

    private static void AssertSafe(string html)
    {
        var problems = MarkupSafety.FragmentProblems(html);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\nin: " + html);
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugShape();
}
