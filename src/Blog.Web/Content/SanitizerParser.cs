using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Ganss.Xss;

namespace Blog.Web.Content;

/// <summary>
/// The HTML parser both sanitizers use: HtmlSanitizer's own parser options and CSS support, without AngleSharp's
/// attribute observers. Those start "loading" what a <c>&lt;link rel=import&gt;</c> points at while the text is still
/// being parsed, and an address .NET cannot read (<c>//example.test(</c>) throws out of <c>Sanitize</c> — a 500 for
/// whoever typed it. A sanitizer never fetches anything, so nothing is lost by leaving them out.
/// </summary>
internal static class SanitizerParser
{
    // One shared instance, as HtmlSanitizer's default parser is: each parse builds its own document.
    private static readonly HtmlParser Parser = new(
        HtmlSanitizer.DefaultHtmlParserFactory().Options,
        BrowsingContext.New(Configuration.Default.WithCss().Without<IAttributeObserver>()));

    /// <summary>For <see cref="HtmlSanitizer.HtmlParserFactory"/>.</summary>
    public static HtmlParser Create() => Parser;
}
