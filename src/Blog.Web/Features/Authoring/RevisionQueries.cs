using Blog.Web.Data;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;
using Dapper;

namespace Blog.Web.Features.Authoring;

/// <summary>
/// The reads of a post's revisions and autosaves: the list (newest first, paged by version so that a post saved
/// thousands of times opens as fast as a new one), one revision, and two compared.
/// </summary>
public sealed class RevisionQueries(BlogDatabase db, SiteSettingsStore settings)
{
    public const int PageSize = 50;

    /// <summary>How many revisions the editor itself lists; the rest are on the revisions page.</summary>
    public const int EditorListSize = 5;

    public async Task<IReadOnlyList<RevisionListRow>> ListAsync(long postId, long? olderThan, int take, CancellationToken ct)
    {
        const string sql = """
            SELECT r.version, m.display_name AS editor_name, r.origin, r.created_at, r.title
            FROM post_revisions r
            LEFT JOIN members m ON m.id = r.editor_id
            WHERE r.post_id = @PostId AND r.version < @OlderThan
            ORDER BY r.version DESC
            LIMIT @Take
            """;
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<RevisionListRow>(new CommandDefinition(
            sql, new { PostId = postId, OlderThan = olderThan ?? long.MaxValue, Take = take }, cancellationToken: ct));
        return rows.AsList();
    }

    public async Task<RevisionRow?> FindAsync(long postId, long version, CancellationToken ct)
    {
        const string sql = """
            SELECT r.version, m.display_name AS editor_name, r.origin, r.created_at, r.title, r.subtitle, r.labels, r.body
            FROM post_revisions r
            LEFT JOIN members m ON m.id = r.editor_id
            WHERE r.post_id = @PostId AND r.version = @Version
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<RevisionRow>(
            new CommandDefinition(sql, new { PostId = postId, Version = version }, cancellationToken: ct));
    }

    public async Task<AutosaveRow?> FindAutosaveAsync(long postId, string editorId, CancellationToken ct)
    {
        const string sql = """
            SELECT base_version, title, subtitle, body, labels, saved_at
            FROM post_autosaves
            WHERE post_id = @PostId AND editor_id = @EditorId
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<AutosaveRow>(
            new CommandDefinition(sql, new { PostId = postId, EditorId = editorId }, cancellationToken: ct));
    }

    /// <summary>One page of the list; <paramref name="olderThan"/> (a version) is the keyset of the pages after the first.</summary>
    public async Task<RevisionListPage> ListPageAsync(ContentKind kind, PostRow post, long? olderThan, CancellationToken ct)
    {
        var rows = await ListAsync(post.Id, olderThan, PageSize + 1, ct);
        return new RevisionListPage
        {
            Kind = kind,
            PostId = post.Id,
            PostTitle = post.Title,
            CurrentVersion = post.Version,
            Items = rows.Take(PageSize).ToList(),
            OlderThan = rows.Count > PageSize ? rows[PageSize - 1].Version : null,
            IsNewest = olderThan is null,
            Clock = await ClockAsync(ct),
        };
    }

    public async Task<RevisionClock> ClockAsync(CancellationToken ct)
    {
        var site = await settings.GetAsync(ct);
        return new RevisionClock(PostUrls.TimeZone(site.TimeZone), AuthoringQueries.SafeFormat(site.DateFormat));
    }
}
