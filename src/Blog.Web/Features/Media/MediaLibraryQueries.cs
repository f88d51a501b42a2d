using Blog.Web.Data;
using Dapper;

namespace Blog.Web.Features.Media;

/// <summary>The reads behind /admin/media and the editor's picture choices.</summary>
public sealed class MediaLibraryQueries(BlogDatabase db, MediaStore store)
{
    public const int PageSize = 24;

    /// <summary>The most pictures the editor offers as a cover; older ones are found in the library.</summary>
    public const int CoverChoicesLimit = 100;

    private const string ListColumns = """
        m.id, m.hash, m.file_name, m.alt_text, m.decorative, m.width, m.height, m.source_format, m.has_alpha,
        m.animated, m.uploaded_by, m.uploaded_at, u.display_name
        """;

    /// <summary>
    /// One page of the library, newest first: the pictures uploaded before <paramref name="before"/> (none: from the
    /// newest). A seek in ix_media_uploaded_at, so the last page costs what the first does.
    /// </summary>
    public async Task<MediaLibraryPage> PageAsync(MediaCursor? before, MediaActor actor, MediaUploadForm? form, CancellationToken ct)
    {
        // Two statements rather than one with "@BeforeAt IS NULL OR ...", which SQLite could only answer by walking
        // the index from the newest picture to the cursor.
        const string newest = $"""
            SELECT {ListColumns}
            FROM media m
            LEFT JOIN members u ON u.id = m.uploaded_by
            ORDER BY m.uploaded_at DESC, m.id DESC
            LIMIT @Take
            """;
        const string older = $"""
            SELECT {ListColumns}
            FROM media m
            LEFT JOIN members u ON u.id = m.uploaded_by
            WHERE (m.uploaded_at, m.id) < (@BeforeAt, @BeforeId)
            ORDER BY m.uploaded_at DESC, m.id DESC
            LIMIT @Take
            """;
        List<(MediaRow Media, string? UploaderName)> rows;
        await using (var connection = await db.OpenAsync(ct))
        {
            rows = (await connection.QueryAsync<MediaRow, string?, (MediaRow, string?)>(new CommandDefinition(before is null ? newest : older, new
            {
                BeforeAt = before?.UploadedAt, BeforeId = before?.Id ?? 0, Take = PageSize + 1,
            }, cancellationToken: ct), (media, uploader) => (media, uploader), splitOn: "display_name")).AsList();
        }
        var shown = rows.Take(PageSize).ToList();
        var ids = shown.Select(row => row.Media.Id).ToList();
        var files = await store.FilesAsync(ids, ct);
        var uses = (await store.UsesAsync(ids, ct)).ToLookup(use => use.MediaId);
        var last = shown.Count > 0 ? shown[^1].Media : null;
        return new MediaLibraryPage
        {
            Items = [.. shown.Select(row => new MediaLibraryItem
            {
                Media = row.Media,
                UploaderName = row.UploaderName,
                Files = [.. files[row.Media.Id]],
                Uses = [.. uses[row.Media.Id]],
                MayChange = actor.MayChange(row.Media),
            })],
            IsFirstPage = before is null,
            OlderCursor = rows.Count > PageSize ? new MediaCursor(last!.UploadedAt, last.Id) : null,
            Upload = form ?? new MediaUploadForm(),
        };
    }

    /// <summary>One picture with its files and uses, for the pages about it (uploaded, describe, delete).</summary>
    public async Task<MediaLibraryItem?> ItemAsync(long id, MediaActor actor, CancellationToken ct)
    {
        var media = await store.FindAsync(id, ct);
        if (media is null)
        {
            return null;
        }
        return new MediaLibraryItem
        {
            Media = media,
            UploaderName = media.UploadedBy is null ? null : await UploaderNameAsync(media.UploadedBy, ct),
            Files = await store.FilesAsync(id, ct),
            Uses = await store.UsesAsync([id], ct),
            MayChange = actor.MayChange(media),
        };
    }

    private async Task<string?> UploaderNameAsync(string memberId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT display_name FROM members WHERE id = @Id", new { Id = memberId }, cancellationToken: ct));
    }

    /// <summary>
    /// The pictures the editor offers as a post's cover: the newest <see cref="CoverChoicesLimit"/>, and the current
    /// cover wherever it is, so an old cover stays chosen when the post is saved again.
    /// </summary>
    public async Task<IReadOnlyList<MediaChoice>> CoverChoicesAsync(long? currentId, CancellationToken ct)
    {
        const string sql = """
            SELECT id, hash, file_name, alt_text, decorative, has_alpha, width, height, uploaded_at
            FROM (SELECT id, hash, file_name, alt_text, decorative, has_alpha, width, height, uploaded_at
                  FROM media ORDER BY uploaded_at DESC, id DESC LIMIT @Take) AS newest
            UNION
            SELECT id, hash, file_name, alt_text, decorative, has_alpha, width, height, uploaded_at FROM media WHERE id = @CurrentId
            ORDER BY uploaded_at DESC, id DESC
            """;
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<MediaChoice>(new CommandDefinition(
            sql, new { Take = CoverChoicesLimit, CurrentId = currentId }, cancellationToken: ct))).AsList();
    }
}
