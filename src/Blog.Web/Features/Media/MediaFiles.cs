using System.Data;
using Blog.Web.Data;
using Blog.Web.Hosting;
using Dapper;

namespace Blog.Web.Features.Media;

/// <summary>
/// The pictures' files in the data folder's media/ directory. A file appears whole or not at all (written under a
/// temporary name, then renamed), and a name, being a content hash, is never rewritten once it exists.
/// On PostgreSQL the files live in the database (media_blobs), so that every app instance serves the same pictures,
/// and media/ is this instance's cache of them, filled on a miss: a name never changes meaning, so a cached file is
/// never stale. On SQLite media/ is the only store.
/// </summary>
public sealed class MediaFiles(DataFolder dataFolder, MediaMemoryCache memory, BlogDatabase database)
{
    /// <summary>Temporary files start with a dot, so they never parse as a media address: never served, never backed up.</summary>
    private const string TemporaryPrefix = ".";

    /// <summary>Whether the files are kept in the database, shared by every instance, rather than in media/ alone.</summary>
    public bool Shared { get; } = database.Engine == DatabaseEngine.PostgreSql;

    public string Folder => dataFolder.MediaPath;

    public string PathOf(string fileName) => Path.Combine(Folder, fileName);

    /// <summary>
    /// The stored files of the picture with this hash, by name, with their sizes: from the shared store when there is
    /// one (a file only this instance's cache holds is not stored for the others), else from media/.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> StoredSizesAsync(string hash, CancellationToken ct)
    {
        CheckHash(hash);
        if (!Shared)
        {
            return LocalFilesOf(hash).ToDictionary(path => Path.GetFileName(path), path => new FileInfo(path).Length, StringComparer.Ordinal);
        }
        const string sql = "SELECT name, octet_length(content)::bigint AS size FROM media_blobs WHERE hash = @Hash";
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Name, long Size)>(new CommandDefinition(sql, new { Hash = hash }, cancellationToken: ct));
        return rows.ToDictionary(row => row.Name, row => row.Size, StringComparer.Ordinal);
    }

    /// <summary>A new temporary file in the media folder, deleted when closed.</summary>
    public FileStream CreateScratchFile() =>
        new(Path.Combine(Folder, $"{TemporaryPrefix}upload-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, bufferSize: 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);

    /// <summary>
    /// Stores <paramref name="content"/> as <paramref name="fileName"/> in media/ unless that file exists already (the
    /// same upload, processed before); returns the size of the file now there. <see cref="ShareAsync"/> then hands
    /// the picture's files to the shared store, if there is one.
    /// </summary>
    public long WriteIfMissing(string fileName, ReadOnlySpan<byte> content)
    {
        var target = PathOf(fileName);
        if (File.Exists(target))
        {
            return new FileInfo(target).Length;
        }
        var temporary = TemporaryPathFor(fileName);
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            file.Write(content);
            file.Flush(flushToDisk: true);
        }
        MoveIntoPlace(temporary, target);
        return new FileInfo(target).Length;
    }

    /// <summary>
    /// Stores the named files of media/ in the shared store, each unless it is there already (the same picture,
    /// processed on another instance). Nothing to do without a shared store.
    /// </summary>
    public async Task ShareAsync(string hash, IEnumerable<string> fileNames, CancellationToken ct)
    {
        CheckHash(hash);
        if (!Shared)
        {
            return;
        }
        const string sql = """
            INSERT INTO media_blobs (name, hash, content) VALUES (@Name, @Hash, @Content)
            ON CONFLICT (name) DO NOTHING
            """;
        await using var write = await database.BeginWriteAsync(ct);
        foreach (var name in fileNames)
        {
            // One file in memory at a time: a picture's largest file is a few megabytes.
            var content = await File.ReadAllBytesAsync(PathOf(name), ct);
            await write.Connection.ExecuteAsync(new CommandDefinition(
                sql, new { Name = name, Hash = hash, Content = content }, write.Transaction, cancellationToken: ct));
        }
        await write.CommitAsync(ct);
    }

    /// <summary>
    /// Makes sure media/ holds <paramref name="fileName"/> (a parsed media name) when the shared store has it, by
    /// fetching it on a miss. Without a shared store media/ is the store, and there is nothing to fetch.
    /// </summary>
    public async ValueTask CacheLocallyAsync(string fileName, CancellationToken ct)
    {
        var target = PathOf(fileName);
        if (!Shared || File.Exists(target))
        {
            return;
        }
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT content FROM media_blobs WHERE name = @Name";
        var name = command.CreateParameter();
        name.ParameterName = "Name";
        name.Value = fileName;
        command.Parameters.Add(name);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess | CommandBehavior.SingleRow, ct);
        if (!await reader.ReadAsync(ct))
        {
            return;
        }
        // Streamed from the row into a temporary file, then renamed: never a whole file in memory, never half a file.
        var temporary = TemporaryPathFor(fileName);
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            await using (var content = reader.GetStream(0))
            {
                await content.CopyToAsync(file, ct);
            }
            MoveIntoPlace(temporary, target);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Deletes every stored file of the picture with this hash (each width, each format), from every store.</summary>
    public async Task DeleteAllAsync(string hash, CancellationToken ct)
    {
        CheckHash(hash);
        if (Shared)
        {
            await using var write = await database.BeginWriteAsync(ct);
            await write.Connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM media_blobs WHERE hash = @Hash", new { Hash = hash }, write.Transaction, cancellationToken: ct));
            await write.CommitAsync(ct);
        }
        foreach (var path in LocalFilesOf(hash))
        {
            File.Delete(path);
        }
        memory.ForgetPicture(hash);
    }

    private IEnumerable<string> LocalFilesOf(string hash) =>
        Directory.EnumerateFiles(Folder, hash + "-*")
            .Where(path => MediaAddresses.TryParse(Path.GetFileName(path), out var fileHash, out _, out _) && fileHash == hash);

    private string TemporaryPathFor(string fileName) => Path.Combine(Folder, $"{TemporaryPrefix}{fileName}.{Guid.NewGuid():N}.tmp");

    private static void CheckHash(string hash)
    {
        if (hash.Length != 20 || !hash.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("Not a media hash.", nameof(hash));
        }
    }

    private static void MoveIntoPlace(string temporary, string target)
    {
        try
        {
            File.Move(temporary, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another request stored the same name first; its file has the same content.
            File.Delete(temporary);
        }
    }
}
