using AngleSharp.Dom;
using Blog.Web.Content;
using Blog.Web.Features.Media;
using Blog.Web.Tests.Infrastructure;
using Blog.Web.Tests.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Content;

/// <summary>
/// Library pictures in a body: the renderer turns their images into responsive &lt;picture&gt; markup when the post
/// is saved, and the post sanitizer lets through exactly that markup, for the blog's own media files or https only.
/// </summary>
public sealed class PostRendererPictureTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    private PostRenderer Renderer => app.Services.GetRequiredService<PostRenderer>();

    private static readonly PostHtmlSanitizer Sanitizer = new();

    private static readonly string[] ImageHints = ["loading", "decoding", "fetchpriority", "sizes"];

    private static readonly string[] NewAttributes = ["srcset", "sizes", "type", "loading", "decoding", "fetchpriority", "src", "width", "height"];

    [Fact]
    public async Task AMediaImageBecomesAPictureWithWebPAndFallbackSizes()
    {
        var lake = PictureSeeder.Insert(app, 1200, 800, altText: "A lake at dawn");

        var body = await RenderAsync($"![]({MediaAddresses.PathOf(lake.Hash, 960, MediaFormat.Jpeg)})");

        var picture = Assert.Single(Parse(body.Html).QuerySelectorAll("picture"));
        var source = Assert.Single(picture.QuerySelectorAll("source"));
        var image = Assert.Single(picture.QuerySelectorAll("img"));
        Assert.Equal("image/webp", source.GetAttribute("type"));
        Assert.Equal(SrcSet(lake.Hash, "webp", 480, 960, 1200), source.GetAttribute("srcset"));
        Assert.Equal(PictureMarkup.ColumnSizes, source.GetAttribute("sizes"));
        Assert.Equal(MediaAddresses.PathOf(lake.Hash, 1200, MediaFormat.Jpeg), image.GetAttribute("src"));
        Assert.Equal(SrcSet(lake.Hash, "jpg", 480, 960, 1200), image.GetAttribute("srcset"));
        Assert.Equal(PictureMarkup.ColumnSizes, image.GetAttribute("sizes"));
        Assert.Equal(("1200", "800"), (image.GetAttribute("width"), image.GetAttribute("height")));
        Assert.Equal("A lake at dawn", image.GetAttribute("alt"));
        Assert.Equal(("eager", "async", "high"), (image.GetAttribute("loading"), image.GetAttribute("decoding"), image.GetAttribute("fetchpriority")));
        Assert.Equal([lake.Id], body.PictureIds);
    }

    [Fact]
    public async Task TheSrcIsTheWidestFallbackUpTo1600AndATransparentPictureFallsBackToPng()
    {
        var wide = PictureSeeder.Insert(app, 3000, 1000, altText: "A wide view");
        var logo = PictureSeeder.Insert(app, 300, 200, altText: "The logo", transparent: true);

        var html = (await RenderAsync($"![]({wide.MarkdownAddress})\n\n![]({logo.MarkdownAddress})")).Html;

        var images = Parse(html).QuerySelectorAll("picture img").ToList();
        Assert.Equal(MediaAddresses.PathOf(wide.Hash, 1600, MediaFormat.Jpeg), images[0].GetAttribute("src"));
        Assert.Equal(SrcSet(wide.Hash, "jpg", 480, 960, 1600, 2400), images[0].GetAttribute("srcset"));
        Assert.Equal(("3000", "1000"), (images[0].GetAttribute("width"), images[0].GetAttribute("height")));
        Assert.Equal(MediaAddresses.PathOf(logo.Hash, 300, MediaFormat.Png), images[1].GetAttribute("src"));
        Assert.Equal(SrcSet(logo.Hash, "png", 300), images[1].GetAttribute("srcset"));
    }

    [Fact]
    public async Task TheAuthorsAltTextWinsAndADecorativePictureWithoutOneHasAnEmptyAlt()
    {
        var described = PictureSeeder.Insert(app, 800, 600, altText: "The library's words");
        var decorative = PictureSeeder.Insert(app, 800, 600, decorative: true);

        var html = (await RenderAsync($"""
            ![The author's words]({described.MarkdownAddress} "A title")

            ![]({described.MarkdownAddress})

            ![]({decorative.MarkdownAddress})
            """)).Html;

        var images = Parse(html).QuerySelectorAll("picture img").ToList();
        Assert.Equal(3, images.Count);
        Assert.Equal(("The author's words", "A title"), (images[0].GetAttribute("alt"), images[0].GetAttribute("title")));
        Assert.Equal("The library's words", images[1].GetAttribute("alt"));
        Assert.Equal("", images[2].GetAttribute("alt"));
    }

    [Fact]
    public async Task OnlyTheFirstPictureLoadsEagerlyAndItIsFetchedFirstOnlyOnTheFirstScreenWithoutACover()
    {
        var picture = PictureSeeder.Insert(app, 800, 600, altText: "A boat");
        var twice = $"![]({picture.MarkdownAddress})\n\nBetween.\n\n![]({picture.MarkdownAddress})";

        var plain = Images((await RenderAsync(twice)).Html);
        var withCover = Images((await Renderer.RenderAsync(twice, hasCover: true, CancellationToken.None)).Body!.Html);
        var lowDown = Images((await RenderAsync($"# Title\n\nOne.\n\nTwo.\n\n![]({picture.MarkdownAddress})")).Html);

        Assert.Equal([("eager", "high"), ("lazy", null)], plain);
        Assert.Equal([("eager", null), ("lazy", null)], withCover);
        Assert.Equal([("eager", null)], lowDown);
        Assert.All(Parse((await RenderAsync(twice)).Html).QuerySelectorAll("img"), i => Assert.Equal("async", i.GetAttribute("decoding")));
    }

    [Fact]
    public async Task AMediaImageTheLibraryDoesNotHoldBecomesItsAltTextAndOtherImagesLoadOnlyFromHttps()
    {
        var unknown = MediaAddresses.PathOf("0123456789abcdef0123", 960, MediaFormat.Jpeg);
        var undescribed = MediaAddresses.PathOf("0123456789abcdef0124", 960, MediaFormat.Jpeg);

        var html = (await RenderAsync($"""
            ![gone]({unknown})

            Nothing here: ![]({undescribed})

            ![remote](https://images.example.test/cat.jpg)

            ![plain](http://images.example.test/cat.jpg)

            ![local](/favicon.svg)

            ![traversal](/media/../blog.db)
            """)).Html;

        var images = Parse(html).QuerySelectorAll("img").ToList();
        Assert.Empty(Parse(html).QuerySelectorAll("picture"));
        Assert.Equal(["https://images.example.test/cat.jpg", null, null, null], images.Select(i => i.GetAttribute("src")));
        Assert.Equal("gone", Assert.Single(Parse(html).QuerySelectorAll("span.picture-gone")).TextContent);
        Assert.DoesNotContain(undescribed, html, StringComparison.Ordinal);
        Assert.Contains("<p>Nothing here: </p>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMediaAddressInACodeSampleIsLookedUpButStaysText()
    {
        var picture = PictureSeeder.Insert(app, 800, 600, altText: "A map");

        var body = await RenderAsync($"Write `![alt]({picture.MarkdownAddress})` to show it.");

        Assert.Empty(Parse(body.Html).QuerySelectorAll("img"));
        Assert.Contains(picture.MarkdownAddress, body.Html, StringComparison.Ordinal);
        Assert.Empty(body.PictureIds);
    }

    [Fact]
    public async Task ABodyOfNothingButPicturesStopsMakingPictureMarkupAtTheLimit()
    {
        var picture = PictureSeeder.Insert(app, 800, 600, altText: "Again");
        var reference = $"![]({picture.MarkdownAddress}) ";
        var markdown = string.Concat(Enumerable.Repeat(reference, new ContentOptions().MaxBodyLength / reference.Length));

        var body = await RenderAsync(markdown);

        var page = Parse(body.Html);
        Assert.Equal(BodyPictures.MaxPictures, page.QuerySelectorAll("picture").Length);
        Assert.Equal(markdown.Length / reference.Length, page.QuerySelectorAll("img").Length);
        Assert.Equal([picture.Id], body.PictureIds);
    }

    [Fact]
    public async Task NoMoreThanTheLimitOfDistinctPicturesIsLookedUp()
    {
        var hashes = Enumerable.Range(0, 1_000).Select(i => $"![](/media/{i:x20}-480.jpg)");

        var found = BodyPictures.HashesIn(string.Join("\n", hashes));

        Assert.Equal(BodyPictures.MaxPictures, found.Count);
        Assert.NotNull((await Renderer.RenderAsync(string.Join("\n", hashes))).Body);
    }

    [Theory]
    [InlineData("<img src=\"/media/0123456789abcdef0123-480.jpg\" srcset=\"javascript:alert(1) 1x, /media/0123456789abcdef0123-480.jpg 480w\">", "/media/0123456789abcdef0123-480.jpg 480w")]
    [InlineData("<img srcset=\"https://a.test/x.jpg 2x,data:image/png;base64,AAAA 1x\">", "https://a.test/x.jpg 2x")]
    [InlineData("<img srcset=\"http://a.test/x.jpg 1x\">", null)]
    [InlineData("<img srcset=\"/media/../../etc/passwd 1x\">", null)]
    [InlineData("<img srcset=\"//evil.test/x.jpg 1x\">", null)]
    [InlineData("<img srcset=\"https://user:pw@a.test/x.jpg\">", null)]
    [InlineData("<img srcset=\"https://a.test/x.jpg 480w, ftp://a.test/y.jpg 2x, https://a.test/z.jpg 4k\">", "https://a.test/x.jpg 480w")]
    [InlineData("<p srcset=\"https://a.test/x.jpg 1x\">x</p>", null)]
    [InlineData("<source srcset=\"https://a.test/x.jpg 1x\">", null)]
    public void SrcSetKeepsOnlyAllowedCandidatesOnImages(string html, string? expected)
    {
        var clean = Sanitizer.Sanitize(html);

        Assert.Equal(expected, Parse(clean).QuerySelector("[srcset]")?.GetAttribute("srcset"));
        Assert.Empty(MarkupSafety.FragmentProblems(clean));
    }

    [Theory]
    [InlineData("<img src=\"https://a.test/x.jpg\" loading=\"lazy\" decoding=\"async\" fetchpriority=\"high\" sizes=\"(min-width: 56rem) 42rem, 100vw\">", 4)]
    [InlineData("<img src=\"https://a.test/x.jpg\" loading=\"javascript:alert(1)\" decoding=\"x\" fetchpriority=\"urgent\" sizes=\"url('javascript:alert(1)')\">", 0)]
    [InlineData("<p loading=\"lazy\" decoding=\"async\" fetchpriority=\"high\" sizes=\"100vw\">x</p>", 0)]
    public void ImageHintsAreKeptOnlyWithTheirOwnValuesOnImages(string html, int kept)
    {
        var clean = Parse(Sanitizer.Sanitize(html)).QuerySelector("img, p")!;

        Assert.Equal(kept, ImageHints.Count(clean.HasAttribute));
    }

    [Fact]
    public void APictureKeepsItsWebPSourceAndASourceTypeMustBeAnImageType()
    {
        var clean = Sanitizer.Sanitize("""
            <picture><source type="image/webp" srcset="/media/0123456789abcdef0123-480.webp 480w" media="print">
            <source type="text/html" srcset="https://a.test/x.html"><img src="/media/0123456789abcdef0123-480.jpg" alt="x"></picture>
            """);

        var sources = Parse(clean).QuerySelectorAll("picture source").ToList();
        Assert.Equal(["image/webp", null], sources.Select(s => s.GetAttribute("type")));
        Assert.Null(sources[0].GetAttribute("media"));
        Assert.Equal("/media/0123456789abcdef0123-480.webp 480w", sources[0].GetAttribute("srcset"));
    }

    [Fact]
    public void EveryXssPayloadInEveryNewAttributeIsDefused()
    {
        var problems = new List<string>();

        foreach (var payload in XssPayloads.All)
        {
            var quoted = System.Net.WebUtility.HtmlEncode(payload);
            foreach (var attribute in NewAttributes)
            {
                var html = $"""<picture><source {attribute}="{quoted}"><img {attribute}="{quoted}" alt="x"></picture><img srcset="/media/0123456789abcdef0123-480.jpg 480w, {quoted}">{payload}""";
                problems.AddRange(MarkupSafety.FragmentProblems(Sanitizer.Sanitize(html)).Select(p => $"{attribute} with {payload}: {p}"));
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
    }

    [Fact]
    public async Task TheRenderedPictureMarkupSurvivesTheSanitizerUnchanged()
    {
        var picture = PictureSeeder.Insert(app, 2000, 1500, altText: "Hills \"and\" <sky>");
        var files = (await app.Services.GetRequiredService<MediaQueries>().FindByHashesAsync([picture.Hash], CancellationToken.None)).Single();
        var markup = PictureMarkup.Html(PictureFiles.Of(files), new PictureLook { Alt = "Hills \"and\" <sky>", Eager = true, HighPriority = true });

        Assert.Equal(Normalise(markup), Normalise(Sanitizer.Sanitize(markup)));
    }

    private async Task<RenderedBody> RenderAsync(string markdown)
    {
        var result = await Renderer.RenderAsync(markdown);
        Assert.Null(result.Error);
        return result.Body!;
    }

    private static List<(string?, string?)> Images(string html) =>
        [.. Parse(html).QuerySelectorAll("picture img").Select(i => (i.GetAttribute("loading"), i.GetAttribute("fetchpriority")))];

    private static string SrcSet(string hash, string extension, params int[] widths) =>
        string.Join(", ", widths.Select(w => $"/media/{hash}-{w}.{extension} {w}w"));

    private static IElement Parse(string html) => BlogClient.Parse("<body>" + html + "</body>").Body!;

    private static string Normalise(string html) => Parse(html).InnerHtml;
}
