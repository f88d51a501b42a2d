using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Blog.Web.Commands;
using Blog.Web.Features.Import.Runs;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;

namespace Blog.Web.Tests.Features.Import.Runs;

/// <summary>The import page and the command with the real importer and readers, on an export written here.</summary>
public sealed class ImportEndToEndTests
{
    /// <summary>A small WordPress export: two posts (one private), a page, a thread of two comments and a spam one.</summary>
    internal static readonly string Wxr = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
             xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
        <channel>
          <title>Garden notes</title>
          <link>https://garden.example.org</link>
          <wp:wxr_version>1.2</wp:wxr_version>
          <wp:base_site_url>https://garden.example.org</wp:base_site_url>
          <wp:base_blog_url>https://garden.example.org</wp:base_blog_url>
          <wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>roses</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Roses]]></wp:cat_name></wp:category>
          <item>
            <title>Pruning in March</title>
            <link>https://garden.example.org/2019/03/02/pruning-in-march/</link>
            <pubDate>Sat, 02 Mar 2019 09:00:00 +0000</pubDate>
            <dc:creator><![CDATA[ada]]></dc:creator>
            <content:encoded><![CDATA[Cut back to an outward bud.

        Then feed them.]]></content:encoded>
            <excerpt:encoded><![CDATA[]]></excerpt:encoded>
            <wp:post_id>11</wp:post_id>
            <wp:post_date>2019-03-02 09:00:00</wp:post_date>
            <wp:post_date_gmt>2019-03-02 09:00:00</wp:post_date_gmt>
            <wp:comment_status>open</wp:comment_status>
            <wp:post_name>pruning-in-march</wp:post_name>
            <wp:status>publish</wp:status>
            <wp:post_parent>0</wp:post_parent>
            <wp:post_type>post</wp:post_type>
            <wp:post_password></wp:post_password>
            <category domain="category" nicename="roses"><![CDATA[Roses]]></category>
            <wp:comment>
              <wp:comment_id>101</wp:comment_id>
              <wp:comment_author><![CDATA[Bea Gardener]]></wp:comment_author>
              <wp:comment_author_email>bea@example.net</wp:comment_author_email>
              <wp:comment_author_url>https://bea.example.net/</wp:comment_author_url>
              <wp:comment_date>2019-03-03 10:00:00</wp:comment_date>
              <wp:comment_date_gmt>2019-03-03 10:00:00</wp:comment_date_gmt>
              <wp:comment_content><![CDATA[How far back?]]></wp:comment_content>
              <wp:comment_approved>1</wp:comment_approved>
              <wp:comment_type></wp:comment_type>
              <wp:comment_parent>0</wp:comment_parent>
            </wp:comment>
            <wp:comment>
              <wp:comment_id>102</wp:comment_id>
              <wp:comment_author><![CDATA[ada]]></wp:comment_author>
              <wp:comment_author_email>ada@example.org</wp:comment_author_email>
              <wp:comment_date>2019-03-03 11:00:00</wp:comment_date>
              <wp:comment_date_gmt>2019-03-03 11:00:00</wp:comment_date_gmt>
              <wp:comment_content><![CDATA[A third of the stem.]]></wp:comment_content>
              <wp:comment_approved>1</wp:comment_approved>
              <wp:comment_type></wp:comment_type>
              <wp:comment_parent>101</wp:comment_parent>
            </wp:comment>
            <wp:comment>
              <wp:comment_id>103</wp:comment_id>
              <wp:comment_author><![CDATA[Cheap pills]]></wp:comment_author>
              <wp:comment_date>2019-03-04 11:00:00</wp:comment_date>
              <wp:comment_date_gmt>2019-03-04 11:00:00</wp:comment_date_gmt>
              <wp:comment_content><![CDATA[buy now]]></wp:comment_content>
              <wp:comment_approved>spam</wp:comment_approved>
              <wp:comment_type></wp:comment_type>
              <wp:comment_parent>0</wp:comment_parent>
            </wp:comment>
          </item>
          <item>
            <title>My diary</title>
            <link>https://garden.example.org/?p=12</link>
            <pubDate>Sun, 03 Mar 2019 09:00:00 +0000</pubDate>
            <content:encoded><![CDATA[Not for everyone.]]></content:encoded>
            <wp:post_id>12</wp:post_id>
            <wp:post_date_gmt>2019-03-03 09:00:00</wp:post_date_gmt>
            <wp:post_name>my-diary</wp:post_name>
            <wp:status>private</wp:status>
            <wp:post_type>post</wp:post_type>
          </item>
          <item>
            <title>About the garden</title>
            <link>https://garden.example.org/about/</link>
            <content:encoded><![CDATA[A small plot by the river.]]></content:encoded>
            <wp:post_id>13</wp:post_id>
            <wp:post_date_gmt>2019-01-01 09:00:00</wp:post_date_gmt>
            <wp:post_name>about</wp:post_name>
            <wp:status>publish</wp:status>
            <wp:post_type>page</wp:post_type>
          </item>
        </channel>
        </rss>
        """;

    private static ImportRun Run(BlogAppFactory app, long id)
    {
        using var db = app.OpenDatabase();
        return db.QuerySingle<ImportRun>("SELECT * FROM import_runs WHERE id = @Id", new { Id = id });
    }

    private static async Task<long> ImportThroughThePageAsync(BlogAppFactory app, BlogClient owner, byte[] file, string fileName)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(await owner.AntiforgeryTokenAsync("/admin/import")), BlogClient.AntiforgeryField },
        };
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/xml");
        form.Add(content, "file", fileName);
        using var response = await owner.Http.PostAsync("/admin/import", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = long.Parse(response.Headers.Location!.OriginalString["/admin/import/".Length..], CultureInfo.InvariantCulture);
        Assert.True(await Eventually.TrueAsync(() => Run(app, id).IsOver), "The import never ended.");
        return id;
    }

    private static string[] CountsRow(AngleSharp.Html.Dom.IHtmlDocument page, string kind) =>
        page.QuerySelectorAll(".import-counts tbody tr")
            .Select(row => row.Children.Select(cell => cell.TextContent.Trim()).ToArray())
            .Single(cells => cells[0] == kind);

    [Fact]
    public async Task AnExportUploadedOnThePageIsImportedAndReportedThenRecognisedTheSecondTime()
    {
        using var app = new BlogAppFactory();
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var owner = client;
        var file = Encoding.UTF8.GetBytes(Wxr);

        var first = await ImportThroughThePageAsync(app, owner, file, "garden.WordPress.xml");
        var report = await owner.GetPageAsync("/admin/import/" + first);
        var second = await ImportThroughThePageAsync(app, owner, file, "garden.WordPress.xml");
        var again = await owner.GetPageAsync("/admin/import/" + second);

        Assert.True(Run(app, first).State == ImportRunStates.Finished, Run(app, first).Error);
        Assert.Equal(["posts", "2", "2", "0", "none"], CountsRow(report, "posts"));
        Assert.Equal(["pages", "1", "1", "0", "none"], CountsRow(report, "pages"));
        Assert.Equal("3", CountsRow(report, "comments")[1]);
        Assert.Equal("2", CountsRow(report, "comments")[2]);
        Assert.Contains("spam", CountsRow(report, "comments")[4], StringComparison.Ordinal);
        Assert.Contains("My diary", report.QuerySelector(".import-report")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("WordPress (WXR)", report.QuerySelector(".import-report")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["posts", "2", "0", "2", "none"], CountsRow(again, "posts"));
        Assert.Equal(["pages", "1", "0", "1", "none"], CountsRow(again, "pages"));
        using var db = app.OpenDatabase();
        Assert.Equal(1, db.ExecuteScalar<int>("SELECT COUNT(*) FROM legacy_addresses WHERE address = '/2019/03/02/pruning-in-march' AND post_id IS NOT NULL"));
        Assert.Equal(3, db.ExecuteScalar<int>("SELECT COUNT(*) FROM posts"));
        Assert.Equal(0, db.ExecuteScalar<int>("SELECT COUNT(*) FROM posts WHERE title = 'My diary' AND status = 'published'"));
        Assert.Empty(Directory.GetFiles(Path.Combine(app.DataDirectory, "imports")));
    }

    [Fact]
    public async Task AFileThatIsNotAnExportStopsTheRunWithTheReadersReason()
    {
        using var app = new BlogAppFactory();
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var owner = client;

        var id = await ImportThroughThePageAsync(app, owner, Encoding.UTF8.GetBytes("<!doctype html><html><title>Not an export</title></html>"), "export.xml");
        var page = await owner.GetPageAsync("/admin/import/" + id);

        var run = Run(app, id);
        Assert.Equal(ImportRunStates.Failed, run.State);
        Assert.False(string.IsNullOrWhiteSpace(run.Error));
        Assert.Contains(run.Error!, page.QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        using var db = app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<int>("SELECT COUNT(*) FROM posts"));
    }

    [Fact]
    public async Task TheCommandImportsTheExportAndADryRunOnAnotherBlogWritesNothing()
    {
        using var app = new BlogAppFactory();
        using var empty = new BlogAppFactory();
        await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        await BlogClient.CreateAccountAsync(empty, MemberRole.Owner);
        var folder = TestDataFolder.Create();
        try
        {
            var file = Path.Combine(folder, "garden.xml");
            await File.WriteAllTextAsync(file, Wxr);
            var before = await DatabaseSnapshot.TakeAsync(empty);

            var (exitCode, output, _) = await RunCommandAsync(app, file);
            var (dryExitCode, dryOutput, _) = await RunCommandAsync(empty, file, "--dry-run");

            Assert.Equal(0, exitCode);
            Assert.Contains("posts: found 2, imported 2, already there 0", output, StringComparison.Ordinal);
            Assert.Contains("pages: found 1, imported 1, already there 0", output, StringComparison.Ordinal);
            using (var db = app.OpenDatabase())
            {
                Assert.Equal(3, db.ExecuteScalar<int>("SELECT COUNT(*) FROM posts"));
            }
            Assert.Equal(0, dryExitCode);
            Assert.StartsWith("Dry run of garden.xml: WordPress (WXR)", dryOutput, StringComparison.Ordinal);
            Assert.Contains("posts: found 2", dryOutput, StringComparison.Ordinal);
            Assert.Equal(before, await DatabaseSnapshot.TakeAsync(empty));
        }
        finally
        {
            TestDataFolder.Delete(folder);
        }
    }

    [Fact]
    public async Task TheCommandImportsEachSharedFixtureWithoutFailing()
    {
        if (RepositoryRoot.FixturesPath is not { } fixtures)
        {
            return;
        }
        using var app = new BlogAppFactory();
        await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        foreach (var file in Directory.GetFiles(Path.Combine(fixtures, "wordpress")).Concat(Directory.GetFiles(Path.Combine(fixtures, "blogger"))).Order(StringComparer.Ordinal))
        {
            var (exitCode, output, error) = await RunCommandAsync(app, file);

            // The pelican file with an undeclared prefix is read with a note; none is refused.
            Assert.True(exitCode == 0, $"{Path.GetFileName(file)}: exit {exitCode}: {error}");
            Assert.Contains("posts: found", output, StringComparison.Ordinal);
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunCommandAsync(BlogAppFactory app, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CommandConsole(new StringReader(""), output, error, _ => null);
        var exitCode = await BlogCommands.Find(["import"])!.RunAsync(app.Services, args, console, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }
}
