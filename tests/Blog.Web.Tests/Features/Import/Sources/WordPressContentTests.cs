using Blog.Web.Features.Import.Sources;

namespace Blog.Web.Tests.Features.Import.Sources;

/// <summary>WordPress bodies are stored as typed; these are the paragraphs WordPress would have shown.</summary>
public sealed class WordPressContentTests
{
    [Theory]
    [InlineData("One paragraph.", "<p>One paragraph.</p>")]
    [InlineData("First.\n\nSecond.", "<p>First.</p>\n<p>Second.</p>")]
    [InlineData("Line one\r\nline two", "<p>Line one<br />\nline two</p>")]
    [InlineData("Kept<br />\nonce", "<p>Kept<br />\nonce</p>")]
    [InlineData("<p>Already a paragraph</p>", "<p>Already a paragraph</p>")]
    [InlineData("<h2>Title</h2>\nText under it", "<h2>Title</h2>\n<p>Text under it</p>")]
    [InlineData("<blockquote>Quoted\n\nAgain</blockquote>", "<blockquote><p>Quoted</p>\n<p>Again</p></blockquote>")]
    [InlineData("<blockquote>Short quote</blockquote>", "<blockquote><p>Short quote</p></blockquote>")]
    [InlineData("<ul>\n<li>a</li>\n<li>b</li>\n</ul>", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>")]
    [InlineData("<pre>code\n\n  indented\n</pre>", "<pre>code\n\n  indented\n</pre>")]
    [InlineData("<img\nsrc=\"a.jpg\"\nalt=\"x\">", "<p><img src=\"a.jpg\" alt=\"x\"></p>")]
    [InlineData("Text <em>inline</em>\nnext", "<p>Text <em>inline</em><br />\nnext</p>")]
    [InlineData("  \n\n  ", "")]
    public void ParagraphsAreMadeExplicit(string typed, string html) =>
        Assert.Equal(html, WordPressContent.Paragraphs(typed));

    [Theory]
    [InlineData("[caption id=\"a\" align=\"alignnone\" width=\"300\"]<img src=\"r.jpg\" /> A rose[/caption]", "<figure><img src=\"r.jpg\" /><figcaption>A rose</figcaption></figure>")]
    [InlineData("[caption id=\"a\" caption=\"Old style\"]<img src=\"r.jpg\" />[/caption]", "<figure><img src=\"r.jpg\" /><figcaption>Old style</figcaption></figure>")]
    [InlineData("[caption]<img src=\"r.jpg\" />[/caption]", "<figure><img src=\"r.jpg\" /></figure>")]
    [InlineData("[caption]Only words[/caption]", "<p>Only words</p>")]
    [InlineData("[caption]<img src=\"r.jpg\" /> never closed", "<p>[caption]<img src=\"r.jpg\" /> never closed</p>")]
    public void CaptionsBecomeFigures(string typed, string html) =>
        Assert.Equal(html, WordPressContent.Paragraphs(WordPressContent.Captions(typed)).Replace("\n", "", StringComparison.Ordinal));

    [Fact]
    public void MoreMarkerSplitsTheTeaserAndIsRemoved()
    {
        var (html, before) = WordPressContent.Post("Teaser.\n<!--more Read on-->\nRest.");

        Assert.Equal("<p>Teaser.</p>\n<p>Rest.</p>", html);
        Assert.Equal("<p>Teaser.</p>", before);
    }

    [Fact]
    public void ABodyMadeToLookLikeAKeptBlockCannotBreakTheConversion()
    {
        var typed = "<pre data-kept=\"7\"></pre>\n\n<pre data-kept=\"999999999\"></pre>\n\n<pre>real</pre>";

        var html = WordPressContent.Paragraphs(typed);

        Assert.Contains("<pre>real</pre>", html, StringComparison.Ordinal);
        Assert.Contains("data-kept=\"999999999\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void LargeBodyWithoutBlankLinesIsConvertedInOnePass()
    {
        var typed = string.Concat(Enumerable.Repeat("word <b>bold</b> [shortcode] line\n", 50_000));

        var html = WordPressContent.Paragraphs(typed);

        Assert.StartsWith("<p>word", html, StringComparison.Ordinal);
        Assert.Equal(49_999, html.Split("<br />").Length - 1);
    }

    [Fact]
    public void UnclosedShortcodesCommentsAndPreformattedBlocksAreLeftAsText()
    {
        var typed = string.Concat(Enumerable.Repeat("[caption]<!--more <pre>x ", 20_000));

        var (html, before) = WordPressContent.Post(typed);

        Assert.Null(before);
        Assert.Equal(20_000, html.Split("[caption]").Length - 1);
    }

    [Fact]
    public void LongRunsOfSpacesAndTagsThatNeverCloseCostOnePass()
    {
        var typed = "a" + new string(' ', 300_000) + "b\n" + string.Concat(Enumerable.Repeat("<div <br ", 30_000))
            + "\n" + new string('\t', 300_000) + "</div>" + string.Concat(Enumerable.Repeat("[caption caption=\"", 20_000));

        var html = WordPressContent.Post(typed).Html;

        Assert.StartsWith("<p>a", html, StringComparison.Ordinal);
        Assert.Contains("</div>", html, StringComparison.Ordinal);
    }
}
