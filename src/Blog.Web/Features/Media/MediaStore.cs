using Blog.Web.Data;
using Dapper;

namespace Blog.Web.Features.Media;

/// <summary>
/// The SQL of the picture library: a picture's <c>media</c> row and its <c>media_files</c> rows are written and
/// deleted together, in one transaction, so the library never lists a picture without its sizes.
/// </summary>
public sealed class MediaStore(BlogDatabase db)
{
    private const string MediaColumns = """
        m.id, m.hash, m.file_name, m.alt_text, m.decorative, m.width, m.height, m.source_format, m.has_alpha,
        m.animated, m.uploaded_by, m.uploaded_at
        """;

    private const string FileColumns = "f.media_id, f.format, f.width, f.height, f.byte_size";

    /// <summary>
    /// Stores a processed picture, or finds the one already stored from the same bytes (the hash is unique):
    /// uploading a file twice gives the same picture, and the first upload's description stays.
    /// </summary>
    public async Task<(MediaRow Media, bool Created)> AddAsync(MediaRow media, IReadOnlyList<MediaFileRow> files, CancellationToken ct)
    {
        const string insert = """
            INSERT INTO media (hash, file_name, alt_text, decorative, width, height, source_format, has_alpha, animated,
                               uploaded_by, uploaded_at)
            VALUES (@Hash, @FileName, @AltText, @Decorative, @Width, @Height, @SourceFormat, @HasAlpha, @Animated,
                    @UploadedBy, @UploadedAt)
            ON CONFLICT (hash) DO NOTHING
            RETURNING id
            """;
        const string insertFile = """
            INSERT INTO media_files (media_id, format, width, height, byte_size)
            VALUES (@MediaId, @Format, @Width, @Height, @ByteSize)
            """;
        await using var write = await db.BeginWriteAsync(ct);
        var id = await write.Connection.ExecuteScalarAsync<long?>(new CommandDefinition(insert, media, write.Transaction, cancellationToken: ct));
        if (id is not { } newId)
        {
            const string existing = $"SELECT {MediaColumns} FROM media m WHERE m.hash = @Hash";
            return (await write.Connection.QuerySingleAsync<MediaRow>(
                new CommandDefinition(existing, new { media.Hash }, write.Transaction, cancellationToken: ct)), false);
        }
        await write.Connection.ExecuteAsync(new CommandDefinition(
            insertFile, files.Select(file => file with { MediaId = newId }), write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
        return (media with { Id = newId }, true);
    }

    public async Task<MediaRow?> FindAsync(long id, CancellationToken ct)
    {
        const string sql = $"SELECT {MediaColumns} FROM media m WHERE m.id = @Id";
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<MediaRow>(new CommandDefinition(sql, new { Id = id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<MediaFileRow>> FilesAsync(long mediaId, CancellationToken ct)
    {
        const string sql = $"SELECT {FileColumns} FROM media_files f WHERE f.media_id = @MediaId ORDER BY f.width, f.format";
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<MediaFileRow>(new CommandDefinition(sql, new { MediaId = mediaId }, cancellationToken: ct))).AsList();
    }

    /// <summary>The files of several pictures in one read, for a page of the library.</summary>
    public async Task<ILookup<long, MediaFileRow>> FilesAsync(IReadOnlyCollection<long> mediaIds, CancellationToken ct)
    {
        var sql = db.Dialect.Text(new DialectSql(
            Sqlite: $"SELECT {FileColumns} FROM media_files f WHERE f.media_id IN @MediaIds ORDER BY f.width, f.format",
            PostgreSql: $"SELECT {FileColumns} FROM media_files f WHERE f.media_id = ANY(@MediaIds) ORDER BY f.width, f.format"));
        if (mediaIds.Count == 0)
        {
            return Array.Empty<MediaFileRow>().ToLookup(file => file.MediaId);
        }
        await using var connection = await db.OpenAsync(ct);
        var files = await connection.QueryAsync<MediaFileRow>(new CommandDefinition(sql, new { MediaIds = mediaIds.ToArray() }, cancellationToken: ct));
        return files.ToLookup(file => file.MediaId);
    }

    /// <summary>The posts and pages that show the picture, in the body or as the cover (see post_media).</summary>
    public async Task<IReadOnlyList<MediaUse>> UsesAsync(IReadOnlyCollection<long> mediaIds, CancellationToken ct)
    {
        var sql = db.Dialect.Text(new DialectSql(
                Sqlite: """
                    SELECT pm.media_id, p.id AS post_id, p.kind, p.title
                    FROM post_media pm
                    JOIN posts p ON p.id = pm.post_id
                    WHERE pm.media_id IN @MediaIds
                    ORDER BY pm.media_id, p.id
                    """,
                PostgreSql: """
                    SELECT pm.media_id, p.id AS post_id, p.kind, p.title
                    FROM post_media pm
                    JOIN posts p ON p.id = pm.post_id
                    WHERE pm.media_id = ANY(@MediaIds)
                    ORDER BY pm.media_id, p.id
                    """));
        if (mediaIds.Count == 0)
        {
            return [];
        }
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<MediaUse>(new CommandDefinition(sql, new { MediaIds = mediaIds.ToArray() }, cancellationToken: ct))).AsList();
    }

    public async Task<bool> UpdateDescriptionAsync(long id, string altText, bool decorative, CancellationToken ct)
    {
        const string sql = "UPDATE media SET alt_text = @AltText, decorative = @Decorative WHERE id = @Id";
        await using var write = await db.BeginWriteAsync(ct);
        var rows = await write.Connection.ExecuteAsync(new CommandDefinition(
            sql, new { Id = id, AltText = altText, Decorative = decorative }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
        return rows == 1;
    }

    /// <summary>
    /// Deletes the picture's rows (its files' rows and post_media go with it; covers become none) and says whether
    /// there was one. The caller removes the files afterwards.
    /// </summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken ct)
    {
        const string sql = "DELETE FROM media WHERE id = @Id";
        await using var write = await db.BeginWriteAsync(ct);
        var rows = await write.Connection.ExecuteAsync(new CommandDefinition(sql, new { Id = id }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
        return rows == 1;
    }
}

/// <summary>A post or page that shows a picture.</summary>
public sealed record MediaUse
{
    public long MediaId { get; init; }
    public long PostId { get; init; }
    /// <summary>A <see cref="Posts.PostKind"/>.</summary>
    public string Kind { get; init; } = "";
    public string Title { get; init; } = "";
}
