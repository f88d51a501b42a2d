using Blog.Web.Features.Import;
using Blog.Web.Identity;
using Blog.Web.Tests.Browser;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Playwright;

namespace Blog.Web.Tests.Features.Import.Runs;

public sealed class ImportBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private long InsertRunningRun(string ownerId)
    {
        using var db = browser.App.OpenDatabase();
        return db.ExecuteScalar<long>(
            "INSERT INTO import_runs (started_by, file_name, state, phase, done, total, created_at) VALUES (@Owner, 'slow-export.xml', 'running', 'reading posts', 100, 400, '2026-12-01 10:00:00.0000000') RETURNING id",
            new { Owner = ownerId });
    }

    private void UpdateRun(string sql, object values)
    {
        using var db = browser.App.OpenDatabase();
        db.Execute(sql, values);
    }

    [Fact]
    public async Task OwnerUploadsAnExportAndReadsTheReportWithoutAccessibilityOrMarkupProblems()
    {
        var owner = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Owner);
        var folder = TestDataFolder.Create();
        var file = Path.Combine(folder, "garden.xml");
        await File.WriteAllTextAsync(file, ImportEndToEndTests.Wxr);
        var page = await browser.NewPageAsync(1280, 900, bypassCsp: true);
        var problems = new PageProblems(page);
        await BrowserFixture.SignInAsync(page, owner.Email!);
        try
        {
            await page.GotoAsync("/admin/import");
            // Saved for the HTML checker before axe's script is added to the page.
            var formHtml = Path.Combine(folder, "form.html");
            await File.WriteAllTextAsync(formHtml, await page.ContentAsync());
            var violations = (await AccessibilityBrowserTests.AuditCurrentAsync(page, "/admin/import")).ToList();
            await BrowserFixture.ScreenshotAsync(page, "import-form");
            await page.GetByLabel("Export file").SetInputFilesAsync(file);
            await page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Report" }).WaitForAsync();
            var reportHtml = Path.Combine(folder, "report.html");
            await File.WriteAllTextAsync(reportHtml, await page.ContentAsync());
            violations.AddRange(await AccessibilityBrowserTests.AuditCurrentAsync(page, page.Url));
            await BrowserFixture.ScreenshotAsync(page, "import-report");

            var postsRow = await page.Locator(".import-counts tbody tr").First.InnerTextAsync();
            Assert.Matches(@"^posts\s+2\s+2\s+0\s+none$", postsRow.Trim());
            Assert.Contains("My diary", await page.Locator(".import-report").InnerTextAsync(), StringComparison.Ordinal);
            Assert.True(violations.Count == 0, string.Join("\n", violations));
            Assert.Empty(problems.All);
            if (File.Exists(HtmlValidityTests.VnuPath))
            {
                var (exitCode, output) = await HtmlValidityTests.RunVnuAsync([formHtml, reportHtml]);
                Assert.True(exitCode == 0, "The HTML checker found errors:\n" + output);
            }
        }
        finally
        {
            TestDataFolder.Delete(folder);
        }
    }

    [Fact]
    public async Task WithJavaScriptTheBarMovesAndTheReportComesWithoutAReload()
    {
        var owner = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Owner);
        var id = InsertRunningRun(owner.Id);
        var page = await browser.NewPageAsync(375, 800, ColorScheme.Dark);
        var problems = new PageProblems(page);
        await BrowserFixture.SignInAsync(page, owner.Email!);

        await page.GotoAsync($"/admin/import/{id}");
        await BrowserFixture.ScreenshotAsync(page, "import-progress-375-dark");
        var bar = page.Locator("progress#import-bar");
        Assert.Equal("100", await bar.GetAttributeAsync("value"));
        UpdateRun("UPDATE import_runs SET phase = 'storing pictures', done = 300 WHERE id = @Id", new { Id = id });
        await Assertions.Expect(page.Locator("#import-status")).ToHaveTextAsync("Storing pictures: 75 %");
        Assert.Equal(300, await bar.EvaluateAsync<double>("b => b.value"));
        var report = FakeImportRunner.SampleReport();
        report.FileName = "slow-export.xml";
        UpdateRun("UPDATE import_runs SET state = 'finished', done = total, report_json = @Report, finished_at = '2026-12-01 10:05:00.0000000' WHERE id = @Id", new { Id = id, Report = report.ToJson() });
        await page.GetByRole(AriaRole.Heading, new() { Name = "Report" }).WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "import-finished-375-dark");

        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"The import report scrolls sideways by {overflow}px at 375px.");
        Assert.Equal(0, await page.Locator("progress").CountAsync());
        Assert.Empty(problems.All);
    }

    [Fact]
    public async Task WithoutJavaScriptThePageRefreshesItselfUntilTheRunIsOver()
    {
        var owner = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Owner);
        var id = InsertRunningRun(owner.Id);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = browser.BaseAddress.ToString(), JavaScriptEnabled = false });
        context.SetDefaultTimeout(90_000);
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, owner.Email!);

        await page.GotoAsync($"/admin/import/{id}");
        Assert.Contains("Reading posts: 25 %", await page.Locator("#import-status").InnerTextAsync(), StringComparison.Ordinal);
        UpdateRun("UPDATE import_runs SET state = 'failed', error = 'line 9: the file ends in the middle of an entry.', finished_at = '2026-12-01 10:05:00.0000000' WHERE id = @Id", new { Id = id });
        await page.GetByRole(AriaRole.Alert).WaitForAsync();

        Assert.Contains("line 9: the file ends in the middle of an entry.", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        await context.DisposeAsync();
    }
}
