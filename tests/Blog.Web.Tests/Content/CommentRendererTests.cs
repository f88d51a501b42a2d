using Blog.Web.Content;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Blog.Web.Tests.Content;

public sealed class CommentRendererTests
{
    private readonly CommentRenderer _renderer = new(Options.Create(new ContentOptions()));

    [Theory]
    [InlineData("[home](//evil.example/phish)")]
    [InlineData("<a href=\"//evil.example\">home</a>")]
    [InlineData("[home](/account/sign-out)")]
    [InlineData("<a href=\"/admin/members\">home</a>")]
    [InlineData("[home](relative/page)")]
    [InlineData("[home](javascript:alert(1))")]
    [InlineData("<a href=\"JaVaScRiPt:alert(1)\">home</a>")]
    [InlineData("[home](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")]
    [InlineData("<a href=\"data:text/html,hi\">home</a>")]
    [InlineData("[home](http:/one-slash.example)")]
    [InlineData("<a>home</a>")]
    public async Task LinksThatAreNotAbsoluteHttpHttpsOrMailtoBecomePlainText(string markdown)
    {
        var result = await RenderAsync(markdown);
        var document = BlogClient.Parse(result.Html);

        Assert.Empty(document.QuerySelectorAll("a"));
        Assert.Contains("home", document.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, result.LinkCount);
    }

    [Theory]
    [InlineData("[home](https://example.com/a?b=c)", "https://example.com/a?b=c")]
    [InlineData("[home](http://example.com)", "http://example.com")]
    [InlineData("[home](mailto:me@example.com)", "mailto:me@example.com")]
    [InlineData("<a href=\"HTTPS://Example.com/\">home</a>", "HTTPS://Example.com/")]
    public async Task AbsoluteHttpHttpsAndMailtoLinksStay(string markdown, string href)
    {
        var result = await RenderAsync(markdown);
        var link = BlogClient.Parse(result.Html).QuerySelector("a");

        Assert.NotNull(link);
        Assert.Equal(href, link.GetAttribute("href"));
        Assert.Equal(CommentRenderer.LinkRel, link.GetAttribute("rel"));
        Assert.Equal(1, result.LinkCount);
    }

    [Theory]
    [InlineData("<script>x</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>")]
    [InlineData("<svg onload=alert(1)>")]
    [InlineData("<p></p><br>")]
    [InlineData("<p>&nbsp;\u200B</p>")]
    public async Task MarkupWithNothingLeftToReadHasNoText(string markdown)
    {
        Assert.False((await RenderAsync(markdown)).HasText);
    }

    [Theory]
    [InlineData("<link rel=import href=//example.test(<x> words")]
    [InlineData("<link rel=stylesheet href=\"//[::1\"> words")]
    [InlineData("<head><link rel=import href=\"http://a b\"></head> words")]
    public async Task LinkElementsWithUnparsableAddressesAreDroppedWithoutThrowing(string markdown)
    {
        var result = await RenderAsync(markdown);

        Assert.DoesNotContain("<link", result.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("words", result.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HalfSurrogatesRenderAsReplacementCharacters()
    {
        // Built in code, not in [InlineData]: xUnit's test-case serialization would repair the strings first.
        string[] cases = ["https://example.test/\uD800\uE000 and more", "[link](https://example.test/\uDBFF\uE000) and more"];

        foreach (var markdown in cases)
        {
            var result = await RenderAsync(markdown);

            Assert.Contains("and more", result.Html, StringComparison.Ordinal);
            Assert.DoesNotContain(result.Html, char.IsSurrogate);
        }
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("<script>x</script> but words")]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("`<img src=x>`")]
    public async Task AnythingAReaderCanSeeCountsAsText(string markdown)
    {
        Assert.True((await RenderAsync(markdown)).HasText);
    }

    /// <summary>The measured ways a member's comment once crashed the request, and their neighbours.</summary>
    public static TheoryData<string> TooDeep => new()
    {
        new string('>', 130),
        new string('[', 200),
        string.Concat(Enumerable.Repeat("- ", 200)) + "x",
        string.Concat(Enumerable.Range(0, 60).Select(i => new string(' ', i * 2) + "- item\n")),
        string.Concat(Enumerable.Repeat("> ", 60)) + "quoted",
        string.Concat(Enumerable.Repeat("*a ", 60)) + string.Concat(Enumerable.Repeat("a* ", 60)),
    };

    [Theory]
    [MemberData(nameof(TooDeep))]
    public async Task MarkdownNestedPastTheLimitIsRefusedWithAMessage(string markdown)
    {
        var result = await _renderer.RenderAsync(markdown);

        Assert.Null(result.Body);
        Assert.Equal(MarkdownGuard.TooDeep(new ContentOptions().MaxNestingDepth), result.Error);
    }

    [Fact]
    public async Task NestingWithinTheLimitRenders()
    {
        var depth = new ContentOptions().MaxNestingDepth / 2;

        var quotes = await RenderAsync(string.Concat(Enumerable.Repeat("> ", depth)) + "quoted");
        var brackets = await RenderAsync(new string('[', depth) + "text");

        Assert.Equal(depth, BlogClient.Parse(quotes.Html).QuerySelectorAll("blockquote").Length);
        Assert.Contains(new string('[', depth) + "text", brackets.Html, StringComparison.Ordinal);
    }

    private async Task<RenderedComment> RenderAsync(string markdown)
    {
        var result = await _renderer.RenderAsync(markdown);
        return result.Body ?? throw new InvalidOperationException(result.Error);
    }
}
