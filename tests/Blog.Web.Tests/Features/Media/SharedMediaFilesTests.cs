using Blog.Web.Data;
using Blog.Web.Features.Media;
using Blog.Web.Hosting;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Blog.Web.Tests.Features.Media;

/// <summary>
/// On PostgreSQL the pictures' files are in the database, and each instance's media/ folder is a cache of them: two
/// instances here are two <see cref="MediaFiles"/> with data folders of their own on one database.
/// </summary>
[Trait("Database", "PostgreSQL")]
public sealed class SharedMediaFilesTests : IAsyncLifetime
{
    private readonly string _folderA = TestDataFolder.Create();
    private readonly string _folderB = TestDataFolder.Create();
    private PostgresTestDatabase _postgres = null!;
    // Over the test database's own pool, which disposing the test database closes.
    private BlogDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresTestDatabase.CreateAsync();
        await _postgres.Migrator().ApplyAsync();
        _database = new PostgresDatabase(_postgres.DataSource);
    }

    public async Task DisposeAsync()
    {
        await _postgres.DisposeAsync();
        TestDataFolder.Delete(_folderA);
        TestDataFolder.Delete(_folderB);
    }

    [Fact]
    public async Task APictureProcessedOnOneInstanceIsServedByAnotherWithAnEmptyFolder()
    {
        var a = Files(_folderA);
        var b = Files(_folderB);

        var picture = (await ProcessAsync(a, TestImages.Jpeg(1100, 700))).Picture!;

        Assert.Empty(Directory.GetFiles(b.Folder));
        foreach (var file in picture.Files)
        {
            var name = MediaAddresses.FileName(picture.Hash, file.Width, file.Format);
            await b.CacheLocallyAsync(name, CancellationToken.None);
            Assert.Equal(await File.ReadAllBytesAsync(a.PathOf(name)), await File.ReadAllBytesAsync(b.PathOf(name)));
            Assert.Equal(file.ByteSize, new FileInfo(b.PathOf(name)).Length);
        }
        Assert.DoesNotContain(Directory.GetFiles(b.Folder), path => Path.GetFileName(path).StartsWith('.'));
    }

    [Fact]
    public async Task TheSameUploadOnAnotherInstanceFindsTheStoredFilesInsteadOfRenderingThemAgain()
    {
        var upload = TestImages.Png(900, 600, transparent: true);
        var first = (await ProcessAsync(Files(_folderA), upload)).Picture!;

        var b = Files(_folderB);
        var second = (await ProcessAsync(b, upload)).Picture!;

        Assert.Equal(first.Files, second.Files);
        // Nothing was rendered on B: it found every file in the database, so its folder holds none.
        Assert.Empty(Directory.GetFiles(b.Folder, first.Hash + "-*"));
        Assert.Equal(first.Files.Count, await CountBlobsAsync(first.Hash));
    }

    [Fact]
    public async Task DeletingOnOneInstanceRemovesThePictureFromTheDatabaseAndItsFolder()
    {
        var a = Files(_folderA);
        var picture = (await ProcessAsync(a, TestImages.Jpeg(800, 500))).Picture!;
        var name = MediaAddresses.FileName(picture.Hash, picture.Files[0].Width, picture.Files[0].Format);

        await a.DeleteAllAsync(picture.Hash, CancellationToken.None);

        Assert.Equal(0, await CountBlobsAsync(picture.Hash));
        Assert.Empty(Directory.GetFiles(a.Folder, picture.Hash + "-*"));
        var b = Files(_folderB);
        await b.CacheLocallyAsync(name, CancellationToken.None);
        Assert.False(File.Exists(b.PathOf(name)));
        Assert.Empty(await b.StoredSizesAsync(picture.Hash, CancellationToken.None));
    }

    [Fact]
    public async Task ANameNoInstanceStoredIsNotCached()
    {
        var b = Files(_folderB);

        await b.CacheLocallyAsync("0123456789abcdef0123-480.webp", CancellationToken.None);

        Assert.Empty(Directory.GetFiles(b.Folder));
    }

    private MediaFiles Files(string folder) =>
        new(new DataFolder(folder), new MediaMemoryCache(Options.Create(new MediaOptions())), _database);

    private static async Task<MediaProcessing> ProcessAsync(MediaFiles files, byte[] upload)
    {
        using var processor = new MediaImageProcessor(Options.Create(new MediaOptions()), files, NullLogger<MediaImageProcessor>.Instance);
        var outcome = await processor.ProcessAsync(new MemoryStream(upload), CancellationToken.None);
        Assert.Null(outcome.Error);
        return outcome;
    }

    private async Task<long> CountBlobsAsync(string hash)
    {
        await using var connection = await _postgres.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM media_blobs WHERE hash = @Hash", new { Hash = hash });
    }
}
