using System.Collections.Concurrent;
using System.Net;
using Blog.Web.Commands;
using Blog.Web.Data;
using Blog.Web.Features.Backup;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Blog.Web.Mail;
using Blog.Web.Tests.Infrastructure;
using Blog.Web.Tests.Mail;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Data;

// SQLite by nature: Backup and restore copy the SQLite file.
[Trait("Database", "Sqlite")]
public sealed class BackupAndRestoreTests : IDisposable
{
    private readonly List<string> _folders = [];

    internal sealed record Run(int ExitCode, string Output, string Error);

    [Fact]
    public async Task BackupTakenWhileTheBlogIsWritingRestoresIntoAFreshDataFolder()
    {
        using var app = new BlogAppFactory { Settings = { ["Blog:Comments:PerMinute"] = "10000" } };
        var owner = await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        var (member, memberAccount) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var _ = member;
        var postId = await CommentTestData.CreatePostAsync(app, DateTime.UtcNow.AddHours(-1), owner.Id);
        var before = await CommentTestData.CommentIdAsync(member, postId, "Written before the backup");
        var written = new ConcurrentBag<long>();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                written.Add(await CommentTestData.CommentIdAsync(member, postId, $"Written during the backup {n}"));
            }
        });
        while (written.Count < 5)
        {
            await Task.Delay(20);
        }
        var backupPath = Path.Combine(NewFolder(), "during.zip");

        var backup = await RunAsync(app.Services, "backup", backupPath);
        var writtenBeforeBackupEnded = written.Count;
        while (written.Count < writtenBeforeBackupEnded + 5)
        {
            await Task.Delay(20);
        }
        await stop.CancelAsync();
        await writer;
        var fresh = NewFolder();
        var restore = await RunAsync(RestoreServices(fresh), "restore", backupPath);
        using var restored = new BlogAppFactory(fresh);
        using var reader = new BlogClient(restored);
        using var home = await reader.GetAsync("/");
        using var comment = await reader.GetAsync($"/comments/{before}");
        var postPage = await reader.GetPageAsync(comment.Headers.Location!.OriginalString);
        using var signedIn = new BlogClient(restored);
        await signedIn.SignInAsync(memberAccount.Email!);
        using var restoredDb = restored.OpenDatabase();
        var restoredIds = restoredDb.Query<long>("SELECT id FROM comments").ToHashSet();

        Assert.True(backup.ExitCode == 0, backup.Error);
        Assert.Contains(backupPath, backup.Output, StringComparison.Ordinal);
        Assert.True(restore.ExitCode == 0, restore.Error);
        Assert.Equal(["ok"], Integrity(backupPath));
        Assert.Contains("A post called", await BlogClient.TextOfAsync(home), StringComparison.Ordinal);
        Assert.Contains("Written before the backup", postPage.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains(before, restoredIds);
        // A snapshot: everything acknowledged before the backup began, nothing acknowledged after it ended.
        Assert.True(restoredIds.Count > 5, $"The backup holds {restoredIds.Count} comments");
        Assert.True(restoredIds.Count <= 1 + writtenBeforeBackupEnded + 1, $"The backup holds {restoredIds.Count} comments; only {writtenBeforeBackupEnded} were written when it ended");
        Assert.Equal(2, restoredDb.ExecuteScalar<long>("SELECT COUNT(*) FROM members"));
    }

    [Fact]
    public async Task BackupWithoutAPathGoesToTheBackupsFolderUnderATimestampedName()
    {
        using var app = new BlogAppFactory();
        await BlogClient.CreateAccountAsync(app, MemberRole.Owner);

        var run = await RunAsync(app.Services, "backup");

        Assert.Equal(0, run.ExitCode);
        var file = Assert.Single(Directory.GetFiles(Path.Combine(app.DataDirectory, "backups"), "blog-*Z.zip"));
        Assert.Matches(@"blog-\d{8}-\d{6}Z\.zip$", file);
        Assert.Contains(file, run.Output, StringComparison.Ordinal);
        Assert.Equal(["ok"], Integrity(file));
    }

    [Fact]
    public async Task RestoreRefusesWhileTheBlogIsRunning()
    {
        using var app = new BlogAppFactory();
        await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        var backupPath = Path.Combine(NewFolder(), "b.zip");
        Assert.Equal(0, (await RunAsync(app.Services, "backup", backupPath)).ExitCode);
        var before = await DatabaseSnapshot.TakeAsync(app);

        var run = await RunAsync(app.Services, "restore", backupPath);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("looks to be running", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(app));
    }

    [Fact]
    public async Task RestoreOverAStoppedBlogKeepsItsDatabaseAside()
    {
        var source = NewFolder();
        var target = NewFolder();
        await CreateBlogAsync(source, "source-owner@example.test");
        await CreateBlogAsync(target, "target-owner@example.test");
        var backupPath = Path.Combine(NewFolder(), "source.zip");
        await using (var app = new BlogAppFactory(source))
        {
            Assert.Equal(0, (await RunAsync(app.Services, "backup", backupPath)).ExitCode);
        }
        SqliteConnection.ClearAllPools();

        var run = await RunAsync(RestoreServices(target), "restore", backupPath);

        Assert.True(run.ExitCode == 0, run.Error);
        var kept = Assert.Single(Directory.GetFiles(Path.Combine(target, "backups"), "blog-before-restore-*.db"));
        Assert.Contains(kept, run.Output, StringComparison.Ordinal);
        Assert.Equal(["target-owner@example.test"], Emails(kept));
        Assert.Equal(["source-owner@example.test"], Emails(Path.Combine(target, "blog.db")));
        Assert.False(File.Exists(Path.Combine(target, "blog.db-wal")));
        Assert.Equal(["ok"], Integrity(kept));
    }

    [Fact]
    public async Task ARestoredBlogDoesNotSendTheMailItsBackupHadQueued()
    {
        var source = NewFolder();
        var backupPath = Path.Combine(NewFolder(), "with-mail.zip");
        await using (var app = new StoppedOutboxAppFactory(source))
        {
            await app.Services.GetRequiredService<MailOutbox>().EnqueueAsync(
                new OutgoingMail("old-news@example.test", "Queued when the backup was taken", "Body"), CancellationToken.None);
            Assert.Equal(0, (await RunAsync(app.Services, "backup", backupPath)).ExitCode);
        }
        SqliteConnection.ClearAllPools();
        var fresh = NewFolder();

        var restore = await RunAsync(RestoreServices(fresh), "restore", backupPath);
        await using var restored = new BlogAppFactory(fresh);
        var sent = Mailbox.MessagesTo(restored, "old-news@example.test");
        using var db = restored.OpenDatabase();
        var setAside = db.QuerySingle<string>("SELECT last_error FROM mail_outbox WHERE given_up_at IS NOT NULL");

        Assert.True(restore.ExitCode == 0, restore.Error);
        Assert.Contains("held 1 unsent email(s); they will not be sent", restore.Output, StringComparison.Ordinal);
        Assert.Empty(sent);
        Assert.Contains("restored from a backup", setAside, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadBackups() => new()
    {
        { "garbage", "not a readable SQLite database" },
        { "corrupt", "damaged" },
        { "not-quire", "not a Quire one" },
        { "newer", "comes from a newer Quire" },
        { "foreign-history", "doesn't recognise" },
        { "missing", "There is no file" },
    };

    [Theory]
    [MemberData(nameof(BadBackups))]
    public async Task RestoreRefusesABadBackupAndChangesNothing(string kind, string message)
    {
        var target = NewFolder();
        await CreateBlogAsync(target, "kept@example.test");
        var bad = await MakeBadBackupAsync(kind);
        var before = File.ReadAllBytes(Path.Combine(target, "blog.db"));

        var run = await RunAsync(RestoreServices(target), "restore", bad);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(target, "blog.db")));
        Assert.Empty(Directory.GetFiles(target, "restore-*"));
    }

    [Fact]
    public async Task OwnerDownloadsASoundBackupAndTheServerKeepsNoCopy()
    {
        using var app = new BlogAppFactory();
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var __ = owner;
        await CommentTestData.CreatePostAsync(app, DateTime.UtcNow.AddHours(-1));
        var picture = PictureSeeder.Insert(app.DataDirectory, new PictureSeed { Width = 700, Height = 500, AltText = "A gradient" }).Files;

        var page = await owner.GetPageAsync("/admin/backup");
        using var response = await owner.SubmitFormAsync("/admin/backup", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches(@"^quire-backup-\d{8}-\d{6}Z\.zip$", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var file = Path.Combine(NewFolder(), "downloaded.zip");
        await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["ok"], Integrity(file));
        using (var downloaded = ReadOnly(BackupTestPictures.ExtractDatabase(file, NewFolder())))
        {
            Assert.Equal(1, downloaded.ExecuteScalar<long>("SELECT COUNT(*) FROM posts"));
        }
        var entries = BackupTestPictures.Entries(file);
        Assert.All(picture, written => Assert.Equal(written.Value, entries["media/" + written.Key]));
        Assert.NotNull(page.QuerySelector("form[method=post][action='/admin/backup'] button"));
        Assert.Empty(Directory.GetFiles(Path.Combine(app.DataDirectory, "backups")));
    }

    [Theory]
    [InlineData(MemberRole.Reader)]
    [InlineData(MemberRole.Member)]
    [InlineData(MemberRole.Author)]
    public async Task OnlyTheOwnerSeesTheBackupPage(MemberRole role)
    {
        using var app = new BlogAppFactory();
        var (client, _) = await BlogClient.SignedInAsync(app, role);
        using var __ = client;
        using var anonymous = new BlogClient(app);

        using var page = await client.GetAsync("/admin/backup");
        using var anonymousPage = await anonymous.GetAsync("/admin/backup");

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, anonymousPage.StatusCode);
        Assert.Contains("/account/sign-in", anonymousPage.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SettingsPageLinksToTheBackupPage()
    {
        using var app = new BlogAppFactory();
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var __ = owner;

        var page = await owner.GetPageAsync("/admin/settings");

        Assert.NotNull(page.QuerySelector("a[href='/admin/backup']"));
    }

    private async Task<string> MakeBadBackupAsync(string kind)
    {
        var path = Path.Combine(NewFolder(), kind + ".db");
        switch (kind)
        {
            case "garbage":
                await File.WriteAllTextAsync(path, "This is a shopping list, not a database.\n" + new string('x', 5000));
                break;
            case "not-quire":
                using (var other = Writable(path))
                {
                    other.Execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('hello');");
                }
                break;
            case "missing":
                break;
            default:
                var source = NewFolder();
                await CreateBlogAsync(source, "source@example.test");
                File.Copy(Path.Combine(source, "blog.db"), path);
                using (var db = Writable(path))
                {
                    if (kind == "newer")
                    {
                        db.Execute("INSERT INTO schema_migrations (version, file_name, applied_at) VALUES (9999, '9999_add_future_things.sql', '2030-01-01 00:00:00')");
                    }
                    else if (kind == "foreign-history")
                    {
                        db.Execute("UPDATE schema_migrations SET file_name = '0002_something_else.sql' WHERE version = 2");
                    }
                    else
                    {
                        // Many rows spread the table over many pages; then one page of it is overwritten.
                        db.Execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, text TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO filler (text) SELECT printf('row %d of filler text', i) FROM n;");
                    }
                }
                SqliteConnection.ClearAllPools();
                if (kind == "corrupt")
                {
                    await using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
                    file.Seek(file.Length - 3 * 4096 + 100, SeekOrigin.Begin);
                    await file.WriteAsync(new byte[2000]);
                }
                break;
        }
        return path;
    }

    /// <summary>A stopped blog with an owner, as a data folder on disk.</summary>
    internal static async Task CreateBlogAsync(string folder, string ownerEmail)
    {
        await using (var app = new BlogAppFactory(folder))
        {
            await BlogClient.CreateAccountAsync(app, MemberRole.Owner, ownerEmail);
        }
        SqliteConnection.ClearAllPools();
    }

    /// <summary>What the restore command gets from Program.cs when the blog is not running: no started host.</summary>
    internal static ServiceProvider RestoreServices(string dataFolder) => new ServiceCollection()
        .AddSingleton(new DataFolder(dataFolder))
        .AddSingleton(TimeProvider.System)
        .AddSingleton(Migration.FromEmbeddedResources(typeof(Migration).Assembly))
        .AddSingleton<DatabaseRestore>()
        .BuildServiceProvider();

    internal static async Task<Run> RunAsync(IServiceProvider services, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CommandConsole(new StringReader(""), output, error, _ => null);
        var exitCode = await BlogCommands.Find(args)!.RunAsync(services, args[1..], console, CancellationToken.None);
        return new Run(exitCode, output.ToString(), error.ToString());
    }

    private List<string> Integrity(string path)
    {
        using var db = ReadOnly(BackupArchive.IsZip(path) ? BackupTestPictures.ExtractDatabase(path, NewFolder()) : path);
        return db.Query<string>("PRAGMA integrity_check").ToList();
    }

    private static List<string> Emails(string path)
    {
        using var db = ReadOnly(path);
        return db.Query<string>("SELECT email FROM members").ToList();
    }

    private static SqliteConnection ReadOnly(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    private static SqliteConnection Writable(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }

    private string NewFolder()
    {
        var folder = TestDataFolder.Create();
        _folders.Add(folder);
        return folder;
    }

    public void Dispose() => _folders.ForEach(TestDataFolder.Delete);
}
