using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Blog.Web.Identity;
using Blog.Web.Tests.Features.Media;
using Blog.Web.Tests.Features.OnPostgres;
using Blog.Web.Tests.Infrastructure;
using Npgsql;

namespace Blog.Web.Tests.Data;

/// <summary>
/// The backup README gives for a blog on PostgreSQL: <c>pg_dump -Fc</c>, then <c>pg_restore</c> into a new, empty
/// database, with a new instance (an empty media cache) started on it.
/// </summary>
[Trait("Database", "PostgreSQL")]
public sealed class PostgresDumpRestoreTests
{
    [Fact]
    public async Task ABlogDumpedAndRestoredIntoANewDatabaseServesTheSamePostAndPictureAndLetsItsMemberSignIn()
    {
        var source = new PostgresAppFactory();
        await source.InitializeAsync();
        var restored = await PostgresTestDatabase.CreateAsync();
        var dumpFolder = TestDataFolder.Create();
        try
        {
            var (owner, _) = await BlogClient.SignedInAsync(source, MemberRole.Owner);
            using var __ = owner;
            using var uploaded = await MediaLibraryTestData.UploadAsync(owner, TestImages.Jpeg(1200, 800), "harbour.jpg", "The harbour at dusk", json: true);
            using var picture = JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync());
            var pictureUrl = picture.RootElement.GetProperty("files").EnumerateArray().First().GetProperty("url").GetString()!;
            var postId = await PublishAsync(owner, "Ferries " + Guid.NewGuid().ToString("N")[..6],
                "The ferry left at dawn.\n\n" + picture.RootElement.GetProperty("markdown").GetString());
            var (member, person) = await BlogClient.SignedInAsync(source, MemberRole.Member);
            using var ___ = member;
            var commentId = await CommentTestData.CommentIdAsync(member, postId, "Lovely *light* here — café");
            var path = CommentTestData.PostPath(source, postId);
            using var sourceReader = new BlogClient(source);
            var before = await sourceReader.GetPageAsync(path);
            var pictureBefore = await BodyOfAsync(source, pictureUrl);
            var dump = Path.Combine(dumpFolder, "quire.dump");

            var dumped = await RunAsync("pg_dump", "-Fc", "-f", dump, "-d", source.Database.Name);
            var restoredRun = await RunAsync("pg_restore", "-d", restored.Name, dump);
            var copy = new PostgresAppFactory(restored);
            try
            {
                using var copyReader = new BlogClient(copy);
                var after = await copyReader.GetPageAsync(path);
                var pictureAfter = await BodyOfAsync(copy, pictureUrl);
                using var signedIn = new BlogClient(copy);
                await signedIn.SignInAsync(person.Email!);
                var signedInPage = await signedIn.GetPageAsync(path);

                Assert.Equal((0, ""), dumped);
                Assert.Equal((0, ""), restoredRun);
                Assert.Equal(before.QuerySelector("article.post")!.OuterHtml, after.QuerySelector("article.post")!.OuterHtml);
                Assert.Equal(before.QuerySelector($"#c{commentId}")!.OuterHtml, after.QuerySelector($"#c{commentId}")!.OuterHtml);
                Assert.Contains("Lovely light here — café", after.QuerySelector($"#c{commentId}")!.TextContent, StringComparison.Ordinal);
                Assert.NotNull(after.QuerySelector($"article.post img[alt='The harbour at dusk']"));
                Assert.Equal(pictureBefore, pictureAfter);
                Assert.NotNull(signedInPage.QuerySelector(".signed-in-as"));
                Assert.NotNull(signedInPage.QuerySelector("form#reply-form"));
            }
            finally
            {
                await copy.DisposeAsync();
            }
        }
        finally
        {
            await ((IAsyncLifetime)source).DisposeAsync();
            await restored.DisposeAsync();
            TestDataFolder.Delete(dumpFolder);
        }
    }

    private static async Task<long> PublishAsync(BlogClient owner, string title, string body)
    {
        using var response = await owner.SubmitFormAsync("/admin/posts/new", new Dictionary<string, string>
        {
            ["Title"] = title, ["Body"] = body, ["AllowComments"] = "true", ["Command"] = "publish",
        });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await BlogClient.TextOfAsync(response));
        return long.Parse(response.Headers.Location!.OriginalString.Split('/')[^2], CultureInfo.InvariantCulture);
    }

    private static async Task<byte[]> BodyOfAsync(BlogAppFactory app, string url)
    {
        using var reader = new BlogClient(app);
        using var response = await reader.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>
    /// Runs one of PostgreSQL's client tools against the test server as the test role (its password through the
    /// environment, never an argument); its exit code and what it wrote to standard error.
    /// </summary>
    private static async Task<(int ExitCode, string Errors)> RunAsync(string tool, params string[] arguments)
    {
        var server = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.Server);
        var start = new ProcessStartInfo(ToolPath(tool)) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-h", server.Host!, "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-U", server.Username! }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["PGPASSWORD"] = server.Password ?? "";
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        await output;
        return (process.ExitCode, (await errors).Trim());
    }

    /// <summary>The newest installed PostgreSQL's tool: pg_dump refuses a server newer than itself.</summary>
    private static string ToolPath(string tool)
    {
        var found = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(folder => (Version: int.TryParse(Path.GetFileName(folder), out var version) ? version : 0, Path: Path.Combine(folder, "bin", tool)))
                .Where(candidate => File.Exists(candidate.Path))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Path)
                .FirstOrDefault()
            : null;
        return found ?? throw new InvalidOperationException(
            $"This test needs PostgreSQL's {tool} under /usr/lib/postgresql/<version>/bin (sudo apt-get install -y postgresql-client).");
    }
}
