using Blog.Web.Data;
using Dapper;

namespace Blog.Web.Features.Media;

/// <summary>
/// The pictures a post shows, read when the post is saved or previewed (never when a page is read: the stored HTML
/// already holds the markup).
/// </summary>
public sealed class MediaQueries(BlogDatabase db)
{
    /// <summary>The pictures with these hashes that exist, each with its stored files; unknown hashes are left out.</summary>
    public async Task<IReadOnlyList<MediaPicture>> FindByHashesAsync(IReadOnlyCollection<string> hashes, CancellationToken ct)
    {
        var mediaSql = db.Dialect.Text(new DialectSql(
            Sqlite: """
                SELECT id, hash, file_name, alt_text, decorative, width, height, source_format, has_alpha, animated,
                       uploaded_by, uploaded_at
                FROM media
                WHERE hash IN @Hashes
                """,
            PostgreSql: """
                SELECT id, hash, file_name, alt_text, decorative, width, height, source_format, has_alpha, animated,
                       uploaded_by, uploaded_at
                FROM media
                WHERE hash = ANY(@Hashes)
                """));
        var filesSql = db.Dialect.Text(new DialectSql(
            Sqlite: """
                SELECT media_id, format, width, height, byte_size
                FROM media_files
                WHERE media_id IN @Ids
                ORDER BY media_id, width
                """,
            PostgreSql: """
                SELECT media_id, format, width, height, byte_size
                FROM media_files
                WHERE media_id = ANY(@Ids)
                ORDER BY media_id, width
                """));
        if (hashes.Count == 0)
        {
            return [];
        }
        await using var connection = await db.OpenAsync(ct);
        var media = (await connection.QueryAsync<MediaRow>(new CommandDefinition(mediaSql, new { Hashes = hashes.ToArray() }, cancellationToken: ct))).AsList();
        if (media.Count == 0)
        {
            return [];
        }
        var files = (await connection.QueryAsync<MediaFileRow>(new CommandDefinition(
            filesSql, new { Ids = media.Select(m => m.Id).ToArray() }, cancellationToken: ct))).ToLookup(f => f.MediaId);
        return [.. media.Select(m => new MediaPicture { Media = m, Files = [.. files[m.Id]] })];
    }

    /// <summary>True when a picture with this id is in the library.</summary>
    public async Task<bool> ExistsAsync(long id, CancellationToken ct)
    {
        const string sql = "SELECT EXISTS (SELECT 1 FROM media WHERE id = @Id)";
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { Id = id }, cancellationToken: ct));
    }
}

/// <summary>A library picture with the files stored for it, smallest first.</summary>
public sealed record MediaPicture
{
    public required MediaRow Media { get; init; }

    public required IReadOnlyList<MediaFileRow> Files { get; init; }
}
