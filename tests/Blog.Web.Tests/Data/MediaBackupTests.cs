using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using Blog.Web.Data;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using static Blog.Web.Tests.Data.BackupAndRestoreTests;

namespace Blog.Web.Tests.Data;

/// <summary>Backups carry the pictures: the zip, what restore accepts from one, and what it refuses.</summary>
// SQLite by nature: Backup and restore copy the SQLite file with the pictures.
[Trait("Database", "Sqlite")]
public sealed class MediaBackupTests : IDisposable
{
    private readonly List<string> _folders = [];

    [Fact]
    public async Task BackupHoldsTheDatabaseAndEveryPictureFileItListsAndSaysHowMany()
    {
        var source = NewFolder();
        await CreateBlogAsync(source, "owner@example.test");
        var photo = PictureSeeder.Insert(source, new PictureSeed { Width = 700, Height = 500, AltText = "A gradient" }).Files;
        var logo = PictureSeeder.Insert(source, new PictureSeed { Width = 300, Height = 300, AltText = "A gradient", Transparent = true }).Files;
        var pictures = photo.Concat(logo).ToDictionary();
        // A file no row lists (an upload that had not committed when the snapshot was taken) stays out.
        var unlisted = Path.Combine(source, "media", "0123456789abcdef0123-480.webp");
        await File.WriteAllBytesAsync(unlisted, TestImages.WebP(480, 300));
        var backupPath = Path.Combine(NewFolder(), "pictures.zip");

        var run = await BackUpAsync(source, backupPath);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("", run.Error);
        var bytes = pictures.Values.Sum(file => file.LongLength);
        Assert.Contains(string.Create(CultureInfo.CurrentCulture, $"and 6 picture file(s) ({bytes:N0} bytes)"), run.Output, StringComparison.Ordinal);
        var entries = BackupTestPictures.Entries(backupPath);
        Assert.Equal(["blog.db", .. pictures.Keys.Select(name => "media/" + name).Order(StringComparer.Ordinal)], entries.Keys.Order(StringComparer.Ordinal));
        Assert.All(pictures, file => Assert.Equal(file.Value, entries["media/" + file.Key]));
        using var zip = ZipFile.OpenRead(backupPath);
        // Pictures are compressed already: stored as they are, the backup costs no time re-compressing them.
        Assert.All(zip.Entries.Where(entry => entry.FullName.StartsWith("media/", StringComparison.Ordinal)),
            entry => Assert.Equal(entry.Length, entry.CompressedLength));
        Assert.True(zip.GetEntry("blog.db")!.CompressedLength < zip.GetEntry("blog.db")!.Length);
    }

    [Fact]
    public async Task BackupNamesAListedPictureFileThatIsGoneAndStillSucceeds()
    {
        var source = NewFolder();
        await CreateBlogAsync(source, "owner@example.test");
        var photo = PictureSeeder.Insert(source, new PictureSeed { Width = 700, Height = 500, AltText = "A gradient" }).Files;
        var gone = photo.Keys.First();
        File.Delete(Path.Combine(source, "media", gone));
        var backupPath = Path.Combine(NewFolder(), "b.zip");

        var run = await BackUpAsync(source, backupPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("and 3 picture file(s)", run.Output, StringComparison.Ordinal);
        Assert.Contains($"1 picture file(s) the database lists were not in", run.Error, StringComparison.Ordinal);
        Assert.Contains(gone, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("media/" + gone, BackupTestPictures.Entries(backupPath).Keys);
    }

    [Fact]
    public async Task RestoreOfABackupWithPicturesReplacesTheBlogsPicturesAndKeepsTheOldOnesAside()
    {
        var source = NewFolder();
        var target = NewFolder();
        await CreateBlogAsync(source, "source-owner@example.test");
        await CreateBlogAsync(target, "target-owner@example.test");
        var restoredPictures = PictureSeeder.Insert(source, new PictureSeed { Width = 700, Height = 500, AltText = "A gradient" }).Files.Concat(PictureSeeder.Insert(source, new PictureSeed { Width = 300, Height = 300, AltText = "A gradient", Transparent = true }).Files).ToDictionary();
        var replacedPictures = PictureSeeder.Insert(target, new PictureSeed { Width = 500, Height = 400, AltText = "A gradient" }).Files;
        // Named .db: a restore tells a zip from a database by what is in the file, never by its name.
        var backupPath = Path.Combine(NewFolder(), "named-like-a-database.db");
        Assert.Equal(0, (await BackUpAsync(source, backupPath)).ExitCode);

        var run = await RunAsync(RestoreServices(target), "restore", backupPath);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("", run.Error);
        var bytes = restoredPictures.Values.Sum(file => file.LongLength);
        Assert.Contains(string.Create(CultureInfo.CurrentCulture, $"Restored 6 picture file(s) ({bytes:N0} bytes): 6 from the backup."), run.Output, StringComparison.Ordinal);
        Assert.Equal(restoredPictures.Keys.Order(StringComparer.Ordinal), FileNames(Path.Combine(target, "media")));
        Assert.All(restoredPictures, file => Assert.Equal(file.Value, File.ReadAllBytes(Path.Combine(target, "media", file.Key))));
        var keptMedia = Assert.Single(Directory.GetDirectories(Path.Combine(target, "backups"), "media-before-restore-*"));
        Assert.Contains(keptMedia, run.Output, StringComparison.Ordinal);
        Assert.Equal(replacedPictures.Keys.Order(StringComparer.Ordinal), FileNames(keptMedia));
        Assert.Empty(Directory.GetFileSystemEntries(target, "restore-*"));
        await using var restored = new BlogAppFactory(target);
        using var db = restored.OpenDatabase();
        Assert.Equal(6, db.ExecuteScalar<long>("SELECT COUNT(*) FROM media_files"));
        Assert.Equal(["source-owner@example.test"], db.Query<string>("SELECT email FROM members"));
    }

    [Fact]
    public async Task RestoreStillTakesTheBareDatabaseOfAnOlderQuireAndSetsTheCurrentPicturesAside()
    {
        var older = NewFolder();
        var target = NewFolder();
        var everyMigration = Migration.FromEmbeddedResources(typeof(Migration).Assembly);
        var beforePictures = everyMigration.Where(m => m.Version < 7).ToList();
        // An older Quire's database, made by its own migrations and an owner row: today's app does not start on it
        // (it needs the newer tables), and restoring it is what brings it up to date.
        var olderDatabase = new SqliteDatabase(Path.Combine(older, "blog.db"));
        await new Migrator(olderDatabase, beforePictures, Microsoft.Extensions.Logging.Abstractions.NullLogger<Migrator>.Instance).ApplyAsync();
        await using (var connection = await olderDatabase.OpenAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO members (id, user_name, normalized_user_name, email, normalized_email, display_name, role, created_at) " +
                "VALUES (@Id, @Email, @Normalized, @Email, @Normalized, 'Older Owner', 'owner', @Now)",
                new { Id = Guid.NewGuid().ToString(), Email = "older-owner@example.test", Normalized = "OLDER-OWNER@EXAMPLE.TEST", Now = SqliteTimes.Format(DateTime.UtcNow) });
        }
        SqliteConnection.ClearAllPools();
        await CreateBlogAsync(target, "target-owner@example.test");
        var replacedPictures = PictureSeeder.Insert(target, new PictureSeed { Width = 500, Height = 400, AltText = "A gradient" }).Files;
        // Named .zip, though it is a SQLite file: the content decides.
        var backupPath = Path.Combine(NewFolder(), "older-quire.zip");
        File.Copy(Path.Combine(older, "blog.db"), backupPath);

        var run = await RunAsync(RestoreServices(target), "restore", backupPath);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains($"schema version {beforePictures[^1].Version}", run.Output, StringComparison.Ordinal);
        Assert.Contains($"it will apply the {everyMigration.Count - beforePictures.Count} newer schema migration(s)", run.Output, StringComparison.Ordinal);
        Assert.Contains("Restored 0 picture file(s)", run.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(target, "media")));
        var keptMedia = Assert.Single(Directory.GetDirectories(Path.Combine(target, "backups"), "media-before-restore-*"));
        Assert.Equal(replacedPictures.Keys.Order(StringComparer.Ordinal), FileNames(keptMedia));
        await using var restored = new BlogAppFactory(target);
        using var reader = new BlogClient(restored);
        using var home = await reader.GetAsync("/");
        using var db = restored.OpenDatabase();
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM media"));
        Assert.Equal(["older-owner@example.test"], db.Query<string>("SELECT email FROM members"));
    }

    [Fact]
    public async Task RestoringABareDatabaseKeepsThePictureFilesItListsFromTheCurrentFolder()
    {
        var blog = NewFolder();
        await CreateBlogAsync(blog, "owner@example.test");
        var listed = PictureSeeder.Insert(blog, new PictureSeed { Width = 700, Height = 500, AltText = "A gradient" }).Files;
        var copy = Path.Combine(NewFolder(), "copied-by-hand.db");
        File.Copy(Path.Combine(blog, "blog.db"), copy);
        var uploadedSince = PictureSeeder.Insert(blog, new PictureSeed { Width = 300, Height = 200, AltText = "A gradient" }).Files;

        var run = await RunAsync(RestoreServices(blog), "restore", copy);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Restored 4 picture file(s)", run.Output, StringComparison.Ordinal);
        Assert.Contains("0 from the backup, 4 kept from the media folder it replaced", run.Output, StringComparison.Ordinal);
        Assert.Equal(listed.Keys.Order(StringComparer.Ordinal), FileNames(Path.Combine(blog, "media")));
        var keptMedia = Assert.Single(Directory.GetDirectories(Path.Combine(blog, "backups"), "media-before-restore-*"));
        Assert.Equal(listed.Keys.Concat(uploadedSince.Keys).Order(StringComparer.Ordinal), FileNames(keptMedia));
    }

    [Fact]
    public async Task RestoreLeavesOutAndNamesPictureFilesThatAreMissingDamagedOrNotTheirFormat()
    {
        var source = NewFolder();
        await CreateBlogAsync(source, "owner@example.test");
        var names = PictureSeeder.Insert(source, new PictureSeed { Width = 700, Height = 500, AltText = "A gradient" }).Files.Keys.Order(StringComparer.Ordinal).ToList();
        var small = PictureSeeder.Insert(source, new PictureSeed { Width = 300, Height = 200, AltText = "A gradient" }).Files.Keys.Order(StringComparer.Ordinal).ToList();
        var (flipped, alsoIntact) = (small[0], small[1]);
        var backupPath = Path.Combine(NewFolder(), "good.zip");
        Assert.Equal(0, (await BackUpAsync(source, backupPath)).ExitCode);
        var entries = BackupTestPictures.Entries(backupPath);
        var (html, shortened, dropped, intact) = (names[0], names[1], names[2], names[3]);
        var htmlOfTheSameSize = Encoding.ASCII.GetBytes("<html><script>alert(1)</script>".PadRight(entries["media/" + html].Length, ' '));
        var tampered = Path.Combine(NewFolder(), "tampered.zip");
        BackupTestPictures.WriteZip(tampered, new Dictionary<string, byte[]>
        {
            ["blog.db"] = entries["blog.db"],
            ["media/" + html] = htmlOfTheSameSize,
            ["media/" + shortened] = entries["media/" + shortened][..^10],
            ["media/" + intact] = entries["media/" + intact],
            ["media/" + flipped] = entries["media/" + flipped],
            ["media/" + alsoIntact] = entries["media/" + alsoIntact],
            ["media/ffffffffffffffffffff-480.webp"] = TestImages.WebP(480, 300),
        });
        // One byte changed inside the stored picture, after the zip recorded its checksum: same size, same signature.
        var zipBytes = await File.ReadAllBytesAsync(tampered);
        var middle = entries["media/" + flipped].AsSpan(100, 32);
        await File.WriteAllBytesAsync(tampered, FlipByte(zipBytes, zipBytes.AsSpan().IndexOf(middle) + 16));
        var fresh = NewFolder();

        var run = await RunAsync(RestoreServices(fresh), "restore", tampered);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(new[] { intact, alsoIntact }.Order(StringComparer.Ordinal), FileNames(Path.Combine(fresh, "media")));
        Assert.Contains("Restored 2 picture file(s)", run.Output, StringComparison.Ordinal);
        Assert.Contains("1 picture file(s) in the backup are not used by its database and were left out", run.Output, StringComparison.Ordinal);
        Assert.Contains($"1 picture file(s) the database lists are in neither the backup nor the media folder: {dropped}", run.Error, StringComparison.Ordinal);
        Assert.Contains("3 picture file(s) in the backup are damaged", run.Error, StringComparison.Ordinal);
        Assert.Contains(flipped, run.Error, StringComparison.Ordinal);
        Assert.Contains(html, run.Error, StringComparison.Ordinal);
        Assert.Contains(shortened, run.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> ForeignEntries() => new()
    {
        { "../escaped.txt", "not a Quire backup" },
        { "media/../../escaped.txt", "not a Quire backup" },
        { "/tmp/escaped.txt", "not a Quire backup" },
        { "media\\..\\..\\escaped.txt", "not a Quire backup" },
        { "media/{valid}\n", "not a Quire backup" },
        { "media/{valid} ", "not a Quire backup" },
        { "media/{valid}.html", "not a Quire backup" },
        { "media/sub/{valid}", "not a Quire backup" },
        { "MEDIA/{valid}", "not a Quire backup" },
        { "media/{VALID}", "not a Quire backup" },
        { "media/０１２３４５６７８９ａｂｃｄｅｆ０１２３-480.jpg", "not a Quire backup" },
        { "media/0123456789abcdef0123-0480.jpg", "not a Quire backup" },
        { "media/0123456789abcdef0123-480.svg", "not a Quire backup" },
        { "blog.db-wal", "not a Quire backup" },
        { "notes/\u0007\u001b[31mred.txt", "not a Quire backup" },
        { "{long}", "not a Quire backup" },
        { "blog.db", "holds blog.db twice" },
        { "media/{valid}|media/{valid}", "twice" },
    };

    [Theory]
    [MemberData(nameof(ForeignEntries))]
    public async Task RestoreRefusesAZipHoldingAnythingButTheBackupsOwnEntriesAndChangesNothing(string entryName, string message)
    {
        var (target, pictures) = await BlogWithPicturesAsync();
        var valid = pictures.Keys.First();
        var name = entryName.Replace("{valid}", valid, StringComparison.Ordinal).Replace("{VALID}", valid.ToUpperInvariant(), StringComparison.Ordinal)
            .Replace("{long}", "media/" + new string('a', 5000) + ".jpg", StringComparison.Ordinal);
        var entries = new List<KeyValuePair<string, byte[]>> { new("blog.db", await DatabaseOfABlogAsync()) };
        entries.AddRange(name.Split('|').Select(part => new KeyValuePair<string, byte[]>(part, pictures[valid])));
        var hostile = Path.Combine(NewFolder(), "hostile.zip");
        BackupTestPictures.WriteZip(hostile, entries);
        var before = Snapshot(target);

        var run = await RunAsync(RestoreServices(target), "restore", hostile);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', run.Error);
        Assert.Equal(before, Snapshot(target));
        Assert.False(File.Exists(Path.Combine(target, "..", "escaped.txt")));
        Assert.False(File.Exists("/tmp/escaped.txt"));
    }

    public static TheoryData<string> DamagedZips() => ["truncated", "garbage after the signature", "flipped byte", "longer than declared", "no database"];

    [Theory]
    [MemberData(nameof(DamagedZips))]
    public async Task RestoreRefusesADamagedZipAndChangesNothing(string damage)
    {
        var (target, pictures) = await BlogWithPicturesAsync();
        var media = pictures.Select(p => new KeyValuePair<string, byte[]>("media/" + p.Key, p.Value)).ToList();
        var bytes = DeflatedZipOf([new("blog.db", await DatabaseOfABlogAsync()), .. media]);
        var bad = Path.Combine(NewFolder(), "bad.zip");
        await File.WriteAllBytesAsync(bad, damage switch
        {
            "truncated" => bytes[..(bytes.Length / 2)],
            "garbage after the signature" => [.. "PK\u0003\u0004"u8, .. Encoding.ASCII.GetBytes(new string('x', 5000))],
            "flipped byte" => FlipByte(bytes, 4096),
            "longer than declared" => DeclareShorter(bytes, "blog.db", 1000),
            _ => DeflatedZipOf(media),
        });
        var before = Snapshot(target);

        var run = await RunAsync(RestoreServices(target), "restore", bad);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(damage switch
        {
            "no database" => "holds no blog.db",
            "flipped byte" => "is a damaged zip file: blog.db does not match its checksum",
            _ => "damaged",
        }, run.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(target));
        Assert.Empty(Directory.GetFileSystemEntries(target, "restore-*"));
    }

    [Fact]
    public async Task ARestoreThatCannotPutThePicturesInPlaceLeavesTheDatabaseAsItWas()
    {
        var source = NewFolder();
        var target = NewFolder();
        await CreateBlogAsync(source, "source-owner@example.test");
        await CreateBlogAsync(target, "target-owner@example.test");
        PictureSeeder.Insert(source, new PictureSeed { Width = 500, Height = 400, AltText = "A gradient" });
        var backupPath = Path.Combine(NewFolder(), "b.zip");
        Assert.Equal(0, (await BackUpAsync(source, backupPath)).ExitCode);
        // A file where media/ should be: the database is moved aside before the pictures' folder fails to move in.
        if (Directory.Exists(Path.Combine(target, "media")))
        {
            Directory.Delete(Path.Combine(target, "media"), recursive: true);
        }
        await File.WriteAllTextAsync(Path.Combine(target, "media"), "in the way");

        var run = await RunAsync(RestoreServices(target), "restore", backupPath);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Could not restore", run.Error, StringComparison.Ordinal);
        using var db = new SqliteConnection($"Data Source={Path.Combine(target, "blog.db")};Mode=ReadOnly;Pooling=False");
        db.Open();
        Assert.Equal(["target-owner@example.test"], db.Query<string>("SELECT email FROM members"));
        Assert.Empty(Directory.GetFiles(Path.Combine(target, "backups"), "blog-before-restore-*"));
        Assert.Empty(Directory.GetFileSystemEntries(target, "restore-*"));
    }

    /// <summary>Runs the backup command with the blog of <paramref name="folder"/> serving, then stops it.</summary>
    private static async Task<Run> BackUpAsync(string folder, string backupPath)
    {
        Run run;
        await using (var app = new BlogAppFactory(folder))
        {
            run = await RunAsync(app.Services, "backup", backupPath);
        }
        SqliteConnection.ClearAllPools();
        return run;
    }

    private async Task<(string Folder, Dictionary<string, byte[]> Pictures)> BlogWithPicturesAsync()
    {
        var folder = NewFolder();
        await CreateBlogAsync(folder, "kept@example.test");
        return (folder, PictureSeeder.Insert(folder, new PictureSeed { Width = 500, Height = 400, AltText = "A gradient" }).Files);
    }

    /// <summary>A sound Quire database from another blog, as bytes to put in a hand-made zip.</summary>
    private async Task<byte[]> DatabaseOfABlogAsync()
    {
        var folder = NewFolder();
        await CreateBlogAsync(folder, "other@example.test");
        return await File.ReadAllBytesAsync(Path.Combine(folder, "blog.db"));
    }

    /// <summary>Every file under a data folder with its content, to show a refused restore changed nothing.</summary>
    private static string Snapshot(string folder) => string.Join("\n", Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal)
        .Where(path => Path.GetFileName(path) != "quire.lock")
        .Select(path => Path.GetRelativePath(folder, path) + " " + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)))));

    private static List<string> FileNames(string folder) =>
        Directory.GetFiles(folder).Select(path => Path.GetFileName(path)).Order(StringComparer.Ordinal).ToList();

    private static byte[] DeflatedZipOf(IEnumerable<KeyValuePair<string, byte[]>> entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                stream.Write(content);
            }
        }
        return buffer.ToArray();
    }

    private static byte[] FlipByte(byte[] bytes, int at)
    {
        var copy = bytes.ToArray();
        copy[at] ^= 0xFF;
        return copy;
    }

    /// <summary>
    /// Rewrites an entry's declared uncompressed size in its local header and in the central directory, as a zip bomb
    /// lies about what it unpacks to.
    /// </summary>
    private static byte[] DeclareShorter(byte[] bytes, string entryName, uint size)
    {
        var copy = bytes.ToArray();
        var name = Encoding.ASCII.GetBytes(entryName);
        for (var i = 0; i + 46 < copy.Length; i++)
        {
            var local = copy.AsSpan(i).StartsWith("PK\u0003\u0004"u8) && copy.AsSpan(i + 30).StartsWith(name);
            var central = copy.AsSpan(i).StartsWith("PK\u0001\u0002"u8) && copy.AsSpan(i + 46).StartsWith(name);
            if (local || central)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(i + (local ? 22 : 24)), size);
            }
        }
        return copy;
    }

    private string NewFolder()
    {
        var folder = TestDataFolder.Create();
        _folders.Add(folder);
        return folder;
    }

    public void Dispose() => _folders.ForEach(TestDataFolder.Delete);
}
