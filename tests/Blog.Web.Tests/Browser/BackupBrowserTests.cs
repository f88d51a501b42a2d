using Blog.Web.Identity;
using Blog.Web.Tests.Data;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace Blog.Web.Tests.Browser;

// SQLite by nature: Backup and restore copy the SQLite file.
[Trait("Database", "Sqlite")]
public sealed class BackupBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task OwnerFindsTheBackupPageFromSettingsAndDownloadsASoundBackupWithThePictures()
    {
        var owner = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Owner);
        var pictures = PictureSeeder.Insert(browser.App.DataDirectory, new PictureSeed { Width = 640, Height = 480, AltText = "A gradient" }).Files;
        var page = await browser.NewPageAsync();
        var problems = new PageProblems(page);
        await BrowserFixture.SignInAsync(page, owner.Email!);
        await page.GotoAsync("/admin/settings");

        await page.GetByRole(AriaRole.Link, new() { Name = "Back up the blog" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Backup", Exact = true }).WaitForAsync();
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Button, new() { Name = "Download a backup" }).ClickAsync());
        var folder = TestDataFolder.Create();
        var file = Path.Combine(folder, "download.zip");
        await download.SaveAsAsync(file);

        try
        {
            Assert.Matches(@"^quire-backup-\d{8}-\d{6}Z\.zip$", download.SuggestedFilename);
            using var db = new SqliteConnection($"Data Source={BackupTestPictures.ExtractDatabase(file, folder)};Mode=ReadOnly;Pooling=False");
            db.Open();
            Assert.Equal(["ok"], db.Query<string>("PRAGMA integrity_check"));
            Assert.Contains(owner.Email, db.Query<string>("SELECT email FROM members"));
            var entries = BackupTestPictures.Entries(file);
            Assert.All(pictures, picture => Assert.Equal(picture.Value, entries["media/" + picture.Key]));
            // Chromium reports a navigation that turns into a download as an aborted request; nothing else may fail.
            var downloadRequest = "request failed: " + new Uri(browser.BaseAddress, "/admin/backup");
            Assert.DoesNotContain(problems.All, problem => !problem.StartsWith(downloadRequest, StringComparison.Ordinal));
        }
        finally
        {
            TestDataFolder.Delete(folder);
        }
    }

    [Theory]
    [InlineData(375, "light")]
    [InlineData(375, "dark")]
    [InlineData(1280, "light")]
    [InlineData(1280, "dark")]
    public async Task BackupPageFitsPhonesAndWideScreens(int width, string theme)
    {
        var owner = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Owner);
        var page = await browser.NewPageAsync(width, 800, theme == "dark" ? ColorScheme.Dark : ColorScheme.Light);
        await BrowserFixture.SignInAsync(page, owner.Email!);

        await page.GotoAsync("/admin/backup");
        await BrowserFixture.ScreenshotAsync(page, $"backup-{width}-{theme}");

        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"The backup page scrolls sideways by {overflow}px at {width}px.");
    }
}
