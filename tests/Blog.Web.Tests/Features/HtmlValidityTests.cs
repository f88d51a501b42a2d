using System.Diagnostics;
using Blog.Web.Features.Posts;
using Blog.Web.Identity;
using Blog.Web.Tests.Features.Moderation;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features;

/// <summary>
/// Every kind of page, as a reader and as the owner, checked by the Nu Html Checker (the W3C validator's
/// engine, vnu.jar from npm, run with Java). tests/run.sh installs both; QUIRE_VNU points elsewhere.
/// </summary>
public sealed class HtmlValidityTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>, IDisposable
{
    private readonly string _folder = TestDataFolder.Create();

    internal static string VnuPath =>
        Environment.GetEnvironmentVariable("QUIRE_VNU") is { Length: > 0 } path
            ? path
            : Path.Combine(RepositoryRoot.Path, "tests", "Blog.Web.Tests", ".tools", "node_modules", "vnu-jar", "build", "dist", "vnu.jar");

    public void Dispose() => TestDataFolder.Delete(_folder);

    [Fact]
    public async Task EveryPageIsValidHtml()
    {
        Assert.True(File.Exists(VnuPath), $"vnu.jar not found at {VnuPath}: run tests/run.sh, which installs it with npm.");
        var author = await BlogClient.CreateAccountAsync(app, MemberRole.Author, displayName: "Val Idator");
        var publishedAt = DateTime.UtcNow.AddDays(-2);
        var (postId, slug) = PostSeeder.Insert(app, new SeedPost
        {
            Title = "Valid & sound",
            Subtitle = "Markup that parses",
            BodyHtml = "<h2>A heading</h2><p>Text with <em>emphasis</em>.</p><table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>",
            AuthorId = author.Id,
            PublishedAt = publishedAt,
            Labels = ["Markup"],
        });
        var postPath = PostUrls.PostPath(publishedAt, slug, TimeZoneInfo.Utc);
        var (_, pageSlug) = PostSeeder.Insert(app, new SeedPost { Kind = "page", Title = "About & more", BodyHtml = "<p>A static page.</p>" });
        var monthPath = postPath[..9];
        var (owner, ownerAccount) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var ownerClient = owner;
        await CommentTestData.CommentIdAsync(owner, postId, "A *comment* with a [link](https://example.org/).");
        var heldPostId = await CommentTestData.CreatePostAsync(app, DateTime.UtcNow.AddDays(-1));
        var heldId = await CommentTestData.CommentIdAsync(owner, heldPostId, "A *held* comment, decided from the inbox.");
        var (mailLinkPath, mailLinkToken) = await MailLinkTestData.LinkForHeldCommentAsync(app, heldId, ownerAccount.Id, "reject");
        using var reader = new BlogClient(app);

        var pages = new List<(BlogClient Client, string Path)>();
        foreach (var path in new[] { "/", postPath, "/search?q=sound", "/search?q=nothing-matches", "/search/label/Markup", "/" + postPath.Split('/')[1] + "/", monthPath, PostUrls.PagePath(pageSlug), "/account/sign-in", "/account/register", "/account/forgot-password", "/no-such-page", $"{mailLinkPath}?token={mailLinkToken}" })
        {
            pages.Add((reader, path));
        }
        foreach (var path in new[] { postPath, "/account", "/account/two-factor", "/account/two-factor/disable", "/account/email", "/account/data", "/account/password", "/admin/posts", "/admin/posts/new", $"/admin/posts/{postId}/edit", $"/admin/posts/{postId}/delete", "/admin/pages", "/admin/settings", "/admin/backup", "/admin/export", "/admin/import", "/admin/members", "/admin/moderation", "/admin/stats", "/admin/stats?days=365", "/membership", "/account/apps", "/indieauth/auth?response_type=code&client_id=https%3A%2F%2Fapp.example%2F&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&state=s&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&scope=create%20media%20admin" })
        {
            pages.Add((owner, path));
        }
        var files = new List<string>();
        foreach (var (client, path) in pages)
        {
            using var response = await client.GetAsync(path);
            files.Add(await SaveAsync(files.Count, path, response));
        }
        // The editor as it comes back from a save it refused, with every field's error shown.
        using (var refused = await owner.SubmitFormAsync("/admin/posts/new", new Dictionary<string, string>
        {
            ["Title"] = " ", ["Slug"] = "!!!", ["Labels"] = new string('x', 60), ["Body"] = "Kept *text*", ["ScheduleDate"] = "someday", ["Command"] = "schedule",
        }))
        {
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Contains("Give it a title.", html, StringComparison.Ordinal);
            Assert.Contains("Keep each label to", html, StringComparison.Ordinal);
            Assert.Contains("Enter the date to publish on", html, StringComparison.Ordinal);
            files.Add(await SaveAsync(files.Count, "/admin/posts/new (refused)", refused));
        }

        var (exitCode, output) = await RunVnuAsync(files);

        Assert.True(exitCode == 0, "The HTML checker found errors:\n" + output);
    }

    private async Task<string> SaveAsync(int number, string path, HttpResponseMessage response)
    {
        var file = Path.Combine(_folder, $"{number:00}{string.Concat(path.Select(c => char.IsLetterOrDigit(c) ? c : '_'))}.html");
        await File.WriteAllTextAsync(file, await response.Content.ReadAsStringAsync());
        return file;
    }

    internal static async Task<(int ExitCode, string Output)> RunVnuAsync(IEnumerable<string> files)
    {
        var start = new ProcessStartInfo("java") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-jar", VnuPath, "--errors-only" }.Concat(files))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + await errors);
    }
}
