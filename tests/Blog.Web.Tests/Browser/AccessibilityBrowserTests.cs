using System.Text.Json;
using Blog.Web.Features.Posts;
using Blog.Web.Identity;
using Blog.Web.Tests.Features.Moderation;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Blog.Web.Tests.Browser;

/// <summary>
/// Runs axe-core (WCAG 2.1 A and AA rules) on the blog's pages, as a reader and as the owner, in both themes.
/// tests/run.sh installs axe-core from npm into tests/Blog.Web.Tests/.tools; QUIRE_AXE points elsewhere.
/// </summary>
public sealed class AccessibilityBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static string AxePath =>
        Environment.GetEnvironmentVariable("QUIRE_AXE") is { Length: > 0 } path
            ? path
            : Path.Combine(RepositoryRoot.Path, "tests", "Blog.Web.Tests", ".tools", "node_modules", "axe-core", "axe.min.js");

    private async Task<(string PostPath, long PostId, string PagePath)> SeedAsync()
    {
        var author = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Author, displayName: "Ada Author");
        var publishedAt = DateTime.UtcNow.AddDays(-2);
        var (postId, slug) = PostSeeder.Insert(browser.App, new SeedPost
        {
            Title = "Accessible by default",
            Subtitle = "What every reader deserves",
            BodyHtml = "<p>Readable text, <a href=\"https://example.org/\">a link</a> and a list:</p><ul><li>one</li><li>two</li></ul>",
            AuthorId = author.Id,
            PublishedAt = publishedAt,
            Labels = ["Access"],
        });
        var (_, pageSlug) = PostSeeder.Insert(browser.App, new SeedPost
        {
            Kind = "page",
            Title = "About this blog",
            BodyHtml = "<p>Who writes here, and why.</p>",
            AuthorId = author.Id,
        });
        return (PostUrls.PostPath(publishedAt, slug, TimeZoneInfo.Utc), postId, PostUrls.PagePath(pageSlug));
    }

    [Theory]
    [InlineData("light", 1280)]
    [InlineData("dark", 1280)]
    [InlineData("light", 375)]
    [InlineData("dark", 375)]
    public async Task ReaderAndOwnerPagesHaveNoAxeViolations(string theme, int width)
    {
        Assert.True(File.Exists(AxePath), $"axe-core not found at {AxePath}: run tests/run.sh, which installs it with npm.");
        var (postPath, postId, pagePath) = await SeedAsync();
        var owner = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Owner, displayName: "Olive Owner");
        var scheme = theme == "dark" ? ColorScheme.Dark : ColorScheme.Light;
        var violations = new List<string>();

        var heldId = await MailLinkTestData.InsertHeldCommentAsync(browser.App, postId, owner.Id);
        var (mailLinkPath, mailLinkToken) = await MailLinkTestData.LinkForHeldCommentAsync(browser.App, heldId, owner.Id);

        var reader = await browser.NewPageAsync(width, 900, scheme, bypassCsp: true);
        foreach (var path in new[] { $"{mailLinkPath}?token={mailLinkToken}", "/", postPath, pagePath, "/search?q=readable", "/search/label/Access", "/" + postPath.Split('/')[1] + "/", postPath[..9], "/account/sign-in", "/account/register", "/account/forgot-password", "/no-such-page" })
        {
            violations.AddRange(await AuditAsync(reader, path));
        }

        var signedIn = await browser.NewPageAsync(width, 900, scheme, bypassCsp: true);
        await BrowserFixture.SignInAsync(signedIn, owner.Email!);
        foreach (var path in new[] { postPath, "/account", "/account/two-factor", "/account/two-factor/disable", "/account/email", "/account/data", "/admin/posts", "/admin/posts/new", $"/admin/posts/{postId}/delete", "/admin/settings", "/admin/backup", "/admin/export", "/admin/import", "/admin/members", "/admin/moderation", "/admin/stats", "/membership", "/account/apps", "/indieauth/auth?response_type=code&client_id=https%3A%2F%2Fapp.example%2F&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&state=s&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&scope=create%20media%20admin" })
        {
            violations.AddRange(await AuditAsync(signedIn, path));
        }
        // The editor as a refused save shows it: the errors next to their fields.
        await signedIn.GotoAsync("/admin/posts/new");
        await signedIn.Locator("#Labels").FillAsync(new string('x', 60));
        await signedIn.Locator("#ScheduleDate").FillAsync("2020-01-01");
        await signedIn.Locator("#ScheduleTime").FillAsync("09:30");
        await signedIn.GetByRole(AriaRole.Button, new() { Name = "Schedule" }).ClickAsync();
        await signedIn.GetByText("Give it a title.").WaitForAsync();
        violations.AddRange(await AuditCurrentAsync(signedIn, "/admin/posts/new (refused)"));

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    internal static async Task<IEnumerable<string>> AuditAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        return await AuditCurrentAsync(page, path);
    }

    internal static async Task<IEnumerable<string>> AuditCurrentAsync(IPage page, string path)
    {
        await page.AddScriptTagAsync(new() { Path = AxePath });
        var json = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
              return result.violations.map(v => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }));
            }
            """);
        return json.EnumerateArray().Select(v =>
            $"{path}: {v.GetProperty("id").GetString()} ({v.GetProperty("help").GetString()}) at {string.Join(", ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()))}");
    }
}
