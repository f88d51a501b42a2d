using Blog.Web.Content;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Content;

public sealed class CommentRendererTests
{
    private readonly CommentRenderer _renderer = new();

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
    public void LinksThatAreNotAbsoluteHttpHttpsOrMailtoBecomePlainText(string markdown)
    {
        var result = _renderer.Render(markdown);
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
    public void AbsoluteHttpHttpsAndMailtoLinksStay(string markdown, string href)
    {
        var result = _renderer.Render(markdown);
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
    public void MarkupWithNothingLeftToReadHasNoText(string markdown)
    {
        Assert.False(_renderer.Render(markdown).HasText);
    }

    [Theory]
    [InlineData("<link rel=import href=//example.test(<x> words")]
    [InlineData("<link rel=stylesheet href=\"//[::1\"> words")]
    [InlineData("<head><link rel=import href=\"http://a b\"></head> words")]
    public void LinkElementsWithUnparsableAddressesAreDroppedWithoutThrowing(string markdown)
    {
        var result = _renderer.Render(markdown);

        Assert.DoesNotContain("<link", result.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("words", result.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void HalfSurrogatesRenderAsReplacementCharacters()
    {
        // Built in code, not in [InlineData]: xUnit's test-case serialization would repair the strings first.
        string[] cases = ["https://example.test/\uD800\uE000 and more", "[link](https://example.test/\uDBFF\uE000) and more"];

        Assert.All(cases, markdown =>
        {
            var result = _renderer.Render(markdown);

            Assert.Contains("and more", result.Html, StringComparison.Ordinal);
            Assert.DoesNotContain(result.Html, char.IsSurrogate);
        });
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("<script>x</script> but words")]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("`<img src=x>`")]
    public void AnythingAReaderCanSeeCountsAsText(string markdown)
    {
        Assert.True(_renderer.Render(markdown).HasText);
    }
}
