using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Blog.Web.Features.Import.Runs;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;

namespace Blog.Web.Tests.Features.Import.Runs;

public sealed class ImportPageTests
{
    private static readonly byte[] Export = Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><title>Old</title></channel></rss>");

    /// <summary>Posts the import form as a browser does: the token first, then the boxes, then the file.</summary>
    internal static async Task<HttpResponseMessage> UploadAsync(
        BlogClient client, byte[] file, string fileName = "blog.wordpress.2026-11-30.xml", bool dryRun = false, bool fetchRemoteImages = false,
        bool withToken = true, bool chunked = false)
    {
        using var form = new MultipartFormDataContent();
        if (withToken)
        {
            form.Add(new StringContent(await client.AntiforgeryTokenAsync("/admin/import")), BlogClient.AntiforgeryField);
        }
        if (dryRun)
        {
            form.Add(new StringContent("true"), "dryRun");
        }
        if (fetchRemoteImages)
        {
            form.Add(new StringContent("true"), "fetchRemoteImages");
        }
        HttpContent content = chunked ? new StreamContent(new MemoryStream(file)) : new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", fileName);
        if (chunked)
        {
            // A body whose length is not declared: the limit must hold while reading.
            using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/import") { Content = new StreamContent(await form.ReadAsStreamAsync()) };
            request.Content.Headers.ContentType = form.Headers.ContentType;
            request.Headers.TransferEncodingChunked = true;
            return await client.Http.SendAsync(request);
        }
        return await client.Http.PostAsync("/admin/import", form);
    }

    private static long RunIdOf(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"The upload answered {(int)response.StatusCode}: {BlogClient.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult()).QuerySelector("#file-error")?.TextContent}");
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/admin/import/", location, StringComparison.Ordinal);
        return long.Parse(location["/admin/import/".Length..], CultureInfo.InvariantCulture);
    }

    private static ImportRun? Run(BlogAppFactory app, long id)
    {
        using var db = app.OpenDatabase();
        return db.QuerySingleOrDefault<ImportRun>("SELECT * FROM import_runs WHERE id = @Id", new { Id = id });
    }

    private static int RunCount(BlogAppFactory app)
    {
        using var db = app.OpenDatabase();
        return db.ExecuteScalar<int>("SELECT COUNT(*) FROM import_runs");
    }

    private static string[] FilesIn(string folder) => Directory.Exists(folder) ? Directory.GetFiles(folder) : [];

    [Fact]
    public async Task OwnerUploadsAnExportWatchsItRunAndReadsTheReport()
    {
        using var app = new ImportAppFactory();
        var (owner, member) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var client = owner;

        using var started = await UploadAsync(client, Export, dryRun: false, fetchRemoteImages: true);
        var id = RunIdOf(started);
        await app.Runner.Waiting.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(await Eventually.TrueAsync(() => Run(app, id)!.Phase == "reading posts"), "The run's progress was never written.");
        var running = await client.GetPageAsync("/admin/import/" + id);
        using var progress = await client.GetAsync($"/admin/import/{id}/progress");
        var progressJson = JsonDocument.Parse(await progress.Content.ReadAsStringAsync()).RootElement;
        app.Runner.Finish();
        Assert.True(await Eventually.TrueAsync(() => Run(app, id)!.State == ImportRunStates.Finished), "The run never finished.");
        var finished = await client.GetPageAsync("/admin/import/" + id);
        var finishedText = finished.Body!.TextContent;

        var (request, content) = Assert.Single(app.Runner.Calls);
        Assert.Equal(Export, content);
        Assert.Equal("blog.wordpress.2026-11-30.xml", request.FileName);
        Assert.Equal(member.Id, request.ImporterId);
        Assert.False(request.DryRun);
        Assert.True(request.FetchRemoteImages);
        // The stored copy is named by the run, not by what the browser said, and is gone once the run is over.
        Assert.Equal(Path.Combine(app.ImportsFolder, "run-" + id), request.FilePath);
        Assert.Empty(FilesIn(app.ImportsFolder));

        Assert.Contains("Reading posts", running.QuerySelector("#import-status")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("400", running.QuerySelector("progress#import-bar")!.GetAttribute("max"));
        Assert.Equal("150", running.QuerySelector("progress#import-bar")!.GetAttribute("value"));
        Assert.NotNull(running.QuerySelector("head noscript"));
        Assert.Contains("http-equiv=\"refresh\"", running.Head!.InnerHtml, StringComparison.Ordinal);
        Assert.NotNull(running.QuerySelector("script[src*='/js/import']"));
        Assert.Equal("no-store", progress.Headers.CacheControl?.ToString().Split(',')[0].Trim());
        Assert.Equal("running", progressJson.GetProperty("state").GetString());
        Assert.Equal(150, progressJson.GetProperty("done").GetInt64());
        Assert.Equal(400, progressJson.GetProperty("total").GetInt64());
        Assert.Equal(37, progressJson.GetProperty("percent").GetInt32());
        Assert.False(progressJson.GetProperty("over").GetBoolean());

        Assert.Null(finished.QuerySelector("progress"));
        Assert.Null(finished.QuerySelector("head noscript"));
        Assert.Null(finished.QuerySelector("script[src*='/js/import']"));
        var posts = finished.QuerySelectorAll(".import-counts tbody tr").Select(row => row.TextContent.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).First();
        Assert.Equal(["posts", "7", "5", "1", "1 in the trash"], posts);
        Assert.Contains("Line 412: A comment marked as spam was left out.", finishedText, StringComparison.Ordinal);
        Assert.Contains("My <secret> diary", finishedText, StringComparison.Ordinal);
        Assert.Contains("https://1.bp.blogspot.com/a/s1600/cat.jpg — in Cats; More cats", finishedText, StringComparison.Ordinal);
        Assert.Contains("Travel, Cooking", finishedText, StringComparison.Ordinal);
        Assert.Contains("WordPress (WXR): “Old & gold”", finishedText, StringComparison.Ordinal);
        var list = await client.GetPageAsync("/admin/import");
        Assert.NotNull(list.QuerySelector($".import-runs a[href='/admin/import/{id}']"));
    }

    [Fact]
    public async Task ASecondImportWhileOneRunsIsRefusedWithALinkToIt()
    {
        using var app = new ImportAppFactory();
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var owner = client;
        using var first = await UploadAsync(owner, Export);
        var id = RunIdOf(first);
        await app.Runner.Waiting.Task.WaitAsync(TimeSpan.FromSeconds(30));

        using var second = await UploadAsync(owner, Export, fileName: "another.xml", dryRun: true);
        var page = BlogClient.Parse(await second.Content.ReadAsStringAsync());
        app.Runner.Finish();

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("already running", page.QuerySelector("#file-error")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector($"main a[href='/admin/import/{id}']"));
        Assert.Equal(1, RunCount(app));
        Assert.True(await Eventually.TrueAsync(() => Run(app, id)!.State == ImportRunStates.Finished));
        Assert.Single(app.Runner.Calls);
    }

    [Fact]
    public async Task ARefusedFileStopsTheRunWithItsReasonAndIsDeleted()
    {
        using var app = new ImportAppFactory();
        app.Runner.Refusal = new Blog.Web.Features.Import.ImportRefusedException("This is not a Blogger or WordPress export: line 1, an HTML page.");
        app.Runner.Finish();
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var owner = client;

        using var started = await UploadAsync(owner, Encoding.UTF8.GetBytes("<!doctype html><title>x</title>"), fileName: "export.xml");
        var id = RunIdOf(started);
        Assert.True(await Eventually.TrueAsync(() => Run(app, id)!.State == ImportRunStates.Failed), "The run was not marked as stopped.");
        var page = await owner.GetPageAsync("/admin/import/" + id);

        Assert.Equal("This is not a Blogger or WordPress export: line 1, an HTML page.", Run(app, id)!.Error);
        Assert.Contains("The import stopped. This is not a Blogger or WordPress export: line 1, an HTML page.", page.QuerySelector("[role=alert]")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Null(page.QuerySelector(".import-report"));
        Assert.Empty(FilesIn(app.ImportsFolder));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnExportOverTheLimitIsRefusedWith413AndNothingIsKept(bool chunked)
    {
        using var app = new ImportAppFactory { Settings = { ["Blog:Import:MaxUploadBytes"] = (1024 * 1024).ToString(CultureInfo.InvariantCulture) } };
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var owner = client;

        using var response = await UploadAsync(owner, new byte[1024 * 1024 + 1], chunked: chunked);
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than 1 MB", page.QuerySelector("#file-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, RunCount(app));
        Assert.Empty(FilesIn(app.ImportsFolder));
        Assert.Empty(app.Runner.Calls);
    }

    [Fact]
    public async Task AnExportOfExactlyTheLimitIsAccepted()
    {
        using var app = new ImportAppFactory { Settings = { ["Blog:Import:MaxUploadBytes"] = (1024 * 1024).ToString(CultureInfo.InvariantCulture) } };
        app.Runner.Finish();
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var owner = client;

        using var response = await UploadAsync(owner, new byte[1024 * 1024], chunked: true);
        var id = RunIdOf(response);

        Assert.True(await Eventually.TrueAsync(() => Run(app, id)!.State == ImportRunStates.Finished));
        Assert.Equal(1024 * 1024, Assert.Single(app.Runner.Calls).Content.Length);
    }

    [Fact]
    public async Task AnUploadWithoutTheTokenIsRefusedBeforeTheFileIsStored()
    {
        using var app = new ImportAppFactory();
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var owner = client;

        using var response = await UploadAsync(owner, Export, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, RunCount(app));
        Assert.Empty(FilesIn(app.ImportsFolder));
    }

    [Theory]
    [InlineData("")]
    [InlineData("empty")]
    public async Task NoFileOrAnEmptyOneGivesTheFormAgainWithAMessage(string kind)
    {
        using var app = new ImportAppFactory();
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var owner = client;

        using var response = kind == "empty"
            ? await UploadAsync(owner, [], dryRun: true)
            : await owner.PostAsync("/admin/import", new Dictionary<string, string> { ["dryRun"] = "true" }, "/admin/import");
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Choose the export file to import.", page.QuerySelector("#file-error")!.TextContent);
        Assert.Equal("true", page.QuerySelector("#file")!.GetAttribute("aria-invalid"));
        Assert.True(((AngleSharp.Html.Dom.IHtmlInputElement)page.QuerySelector("#dryRun")!).IsChecked);
        Assert.Equal(0, RunCount(app));
        Assert.Empty(FilesIn(app.ImportsFolder));
    }

    [Theory]
    [InlineData("../../../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\ada\\Desktop\\blog-export.xml", "blog-export.xml")]
    [InlineData("///", "export")]
    public async Task TheFileNameIsOnlyAName(string sent, string reported)
    {
        using var app = new ImportAppFactory();
        app.Runner.Finish();
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var owner = client;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(await owner.AntiforgeryTokenAsync("/admin/import")), BlogClient.AntiforgeryField },
        };
        var file = new ByteArrayContent(Export);
        file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileName = "\"" + sent + "\"" };
        form.Add(file);

        using var response = await owner.Http.PostAsync("/admin/import", form);
        var id = RunIdOf(response);

        Assert.True(await Eventually.TrueAsync(() => Run(app, id)!.State == ImportRunStates.Finished));
        Assert.Equal(reported, Run(app, id)!.FileName);
        Assert.Equal(Path.Combine(app.ImportsFolder, "run-" + id), Assert.Single(app.Runner.Calls).Request.FilePath);
    }

    [Theory]
    [InlineData("multipart/form-data", "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xml\"\r\n\r\nabc")]
    [InlineData("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xml\"\r\n\r\nabc")]
    [InlineData("multipart/form-data; boundary=x", "--x\r\nContent-Type: text/plain\r\n\r\nabc\r\n--x--\r\n")]
    [InlineData("multipart/form-data; boundary=x", "garbage")]
    [InlineData("application/json", "{\"file\": \"<rss/>\"}")]
    [InlineData("text/plain", "")]
    public async Task AMalformedUploadIsRefusedNeverA500(string contentType, string body)
    {
        using var app = new ImportAppFactory();
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var owner = client;
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await owner.Http.PostAsync("/admin/import", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, RunCount(app));
        Assert.Empty(FilesIn(app.ImportsFolder));
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(0, false)]
    public async Task AStartMarksAsStoppedOnlyARunWhoseRunnerWentQuietAndLeavesALiveOnesFile(int minutesSinceHeartbeat, bool stopped)
    {
        var folder = TestDataFolder.Create();
        try
        {
            long id;
            using (var first = new ImportAppFactory(folder))
            {
                var (client, _) = await BlogClient.SignedInAsync(first, MemberRole.Owner);
                using var owner = client;
                using var started = await UploadAsync(owner, Export);
                id = RunIdOf(started);
                await first.Runner.Waiting.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
            // A process that died outright leaves its row running and its file behind; the next start cleans up both.
            // One whose runner beat a moment ago is another instance's, still at work: the start leaves it be.
            using (var db = TestDatabase.Open(folder))
            {
                db.Execute("UPDATE import_runs SET state = 'running', error = NULL, heartbeat_at = @Beat WHERE id = @Id",
                    new { Id = id, Beat = TestDatabase.StoredTime(DateTime.UtcNow.AddMinutes(-minutesSinceHeartbeat)) });
            }
            Directory.CreateDirectory(Path.Combine(folder, "imports"));
            await File.WriteAllBytesAsync(Path.Combine(folder, "imports", "run-" + id), Export);

            using var second = new ImportAppFactory(folder);
            using var reader = new BlogClient(second);
            using var home = await reader.GetAsync("/");

            var run = Run(second, id)!;
            Assert.Equal(stopped ? ImportRunStates.Failed : ImportRunStates.Running, run.State);
            Assert.Equal(stopped ? ImportWorker.InterruptedReason : null, run.Error);
            Assert.Equal(stopped ? 0 : 1, FilesIn(second.ImportsFolder).Length);
            Assert.Empty(second.Runner.Calls);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TestDataFolder.Delete(folder);
        }
    }

    [Fact]
    public async Task AnUnknownRunIsNotFound()
    {
        using var app = new ImportAppFactory();
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var owner = client;

        using var page = await owner.GetAsync("/admin/import/999999");
        using var progress = await owner.GetAsync("/admin/import/999999/progress");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, progress.StatusCode);
    }
}
