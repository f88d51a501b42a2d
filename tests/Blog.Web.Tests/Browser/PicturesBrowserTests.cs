using System.Text.Json;
using Blog.Web.Content;
using Blog.Web.Features.Media;
using Blog.Web.Features.Posts;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Blog.Web.Tests.Browser;

/// <summary>
/// A post with a cover and ten pictures, and a list of posts with covers, in a real browser on a wide screen and a
/// phone: no axe violations, every image with its alt text and its size, and nothing moves while pictures load.
/// </summary>
public sealed class PicturesBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    // Adds up every layout shift the page makes from its first paint (not those right after input).
    private const string LayoutShiftObserver = """
        window.__layoutShift = 0;
        new PerformanceObserver(list => {
          for (const entry of list.getEntries()) {
            if (!entry.hadRecentInput) window.__layoutShift += entry.value;
          }
        }).observe({ type: 'layout-shift', buffered: true });
        """;

    [Theory]
    [InlineData(1280)]
    [InlineData(400)]
    public async Task APostWithTenPicturesAndAListWithCoversLoadWithoutLayoutShiftAndPassAxe(int width)
    {
        var (postPath, labelPath) = await SeedAsync();
        var page = await browser.NewPageAsync(width, 900, bypassCsp: true);
        await page.AddInitScriptAsync(LayoutShiftObserver);
        var problems = new List<string>();

        foreach (var (path, name) in new[] { (postPath, "post"), (labelPath, "list") })
        {
            await page.GotoAsync(path);
            await ScrollThroughAsync(page);
            var images = await page.EvaluateAsync<JsonElement>("""
                () => [...document.querySelectorAll('main img')].map(i => ({
                  src: i.currentSrc, alt: i.getAttribute('alt'), width: i.getAttribute('width'), height: i.getAttribute('height'),
                  loaded: i.complete && i.naturalWidth > 0 }))
                """);
            var shift = await page.EvaluateAsync<double>("() => window.__layoutShift");
            await BrowserFixture.ScreenshotAsync(page, $"pictures-{name}-{width}");
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"pictures-{name}-{width}-first-screen.png") });

            Assert.True(images.GetArrayLength() >= (name == "post" ? 11 : 3), $"{path}: only {images.GetArrayLength()} images");
            foreach (var image in images.EnumerateArray())
            {
                var src = image.GetProperty("src").GetString();
                if (image.GetProperty("alt").ValueKind != JsonValueKind.String)
                {
                    problems.Add($"{path}: no alt on {src}");
                }
                if (image.GetProperty("width").ValueKind != JsonValueKind.String || image.GetProperty("height").ValueKind != JsonValueKind.String)
                {
                    problems.Add($"{path}: no width/height on {src}");
                }
                if (!image.GetProperty("loaded").GetBoolean())
                {
                    problems.Add($"{path}: not loaded: {src}");
                }
            }
            if (shift != 0)
            {
                problems.Add($"{path}: cumulative layout shift {shift}");
            }
            problems.AddRange(await AccessibilityBrowserTests.AuditCurrentAsync(page, path));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private async Task<(string PostPath, string LabelPath)> SeedAsync()
    {
        var app = browser.App;
        var author = await BlogClient.CreateAccountAsync(app, MemberRole.Author, displayName: "Pia Painter");
        var label = "Pictures" + Guid.NewGuid().ToString("N")[..6];
        var cover = PictureSeeder.Insert(app, 2000, 1000, altText: "Morning light over a lake");
        SeededPicture[] pictures =
        [
            PictureSeeder.Insert(app, 1600, 1067, altText: "A wide landscape"),
            PictureSeeder.Insert(app, 900, 1200, altText: "A tall tower"),
            PictureSeeder.Insert(app, 600, 400, altText: "A small logo", transparent: true),
            PictureSeeder.Insert(app, 1200, 800, decorative: true),
            .. Enumerable.Range(1, 6).Select(i => PictureSeeder.Insert(app, 1000 + 100 * i, 750, altText: $"Picture number {i}")),
        ];
        var markdown = string.Join("\n\n", pictures.Select((p, i) =>
            $"## Part {i + 1}\n\nSome words before picture {i + 1}, long enough to wrap on a phone and show how text flows around it.\n\n![]({p.MarkdownAddress})"));
        var body = (await app.Services.GetRequiredService<PostRenderer>().RenderAsync(markdown, hasCover: true, CancellationToken.None)).Body!;
        var published = DateTime.UtcNow.AddHours(-1);
        var posts = PostSeeder.InsertMany(app,
        [
            new SeedPost { Title = "Ten pictures and a cover", Subtitle = "A walk in pictures", BodyHtml = body.Html, AuthorId = author.Id, PublishedAt = published, Labels = [label] },
            new SeedPost { Title = "A tower", Excerpt = "A short post with a tall cover.", AuthorId = author.Id, PublishedAt = published.AddHours(-1), Labels = [label] },
            new SeedPost { Title = "Without a cover", Excerpt = "Not every post has a picture.", AuthorId = author.Id, PublishedAt = published.AddHours(-2), Labels = [label] },
            new SeedPost { Title = "A logo", Excerpt = "A transparent picture as the cover.", AuthorId = author.Id, PublishedAt = published.AddHours(-3), Labels = [label] },
        ]);
        using (var db = app.OpenDatabase())
        {
            foreach (var (index, coverId) in new[] { (0, cover.Id), (1, pictures[1].Id), (3, pictures[2].Id) })
            {
                db.Execute("UPDATE posts SET cover_media_id = @Cover WHERE id = @Id", new { Cover = coverId, Id = posts[index].Id });
            }
        }
        app.ForgetCachedPages();
        return (PostUrls.PostPath(published, posts[0].Slug, TimeZoneInfo.Utc), PostUrls.LabelPath(label));
    }

    /// <summary>Scrolls to the bottom a screen at a time, as a reader would, so lazy pictures load, then waits for them.</summary>
    private static async Task ScrollThroughAsync(IPage page)
    {
        await page.EvaluateAsync("""
            async () => {
              for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight / 2) {
                window.scrollTo(0, y);
                await new Promise(resolve => setTimeout(resolve, 50));
              }
              await Promise.all([...document.images].map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
              window.scrollTo(0, 0);
            }
            """);
    }
}
