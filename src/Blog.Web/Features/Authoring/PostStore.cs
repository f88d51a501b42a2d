using System.Data.Common;
using Blog.Web.Data;
using Dapper;

namespace Blog.Web.Features.Authoring;

/// <summary>
/// The SQL of writing posts and pages. Every write touches the post, its labels, its old-slug redirects, its
/// search row and its revision in one transaction, so readers never see half a save and no save goes unrecorded.
/// </summary>
public sealed class PostStore(BlogDatabase db)
{
    /// <summary>Slugs of this kind that start with <paramref name="slug"/>, other than the post's own.</summary>
    public async Task<HashSet<string>> SlugsLikeAsync(string kind, string slug, long? exceptId, CancellationToken ct)
    {
        const string sql = """
            SELECT slug FROM posts
            WHERE kind = @Kind AND slug LIKE @Prefix AND id IS DISTINCT FROM @ExceptId
            """;
        await using var connection = await db.OpenAsync(ct);
        var slugs = await connection.QueryAsync<string>(new CommandDefinition(
            sql, new { Kind = kind, Prefix = slug + "%", ExceptId = exceptId }, cancellationToken: ct));
        return slugs.ToHashSet(StringComparer.Ordinal);
    }

    public async Task<long> CreateAsync(PostWrite post, PostPictures pictures, CancellationToken ct)
    {
        await using var write = await db.BeginWriteAsync(ct);
        var id = await InsertPostAsync(write.Connection, write.Transaction, post, pictures, ct);
        await write.CommitAsync(ct);
        return id;
    }

    /// <summary>
    /// Adds an imported post with its labels, search row, pictures and revision 1 (origin import) inside a write the
    /// caller holds (an import writes many posts per transaction).
    /// </summary>
    public static Task<long> InsertAsync(DbConnection connection, DbTransaction transaction, PostWrite post, PostPictures pictures, CancellationToken ct) =>
        InsertPostAsync(connection, transaction, post with { Origin = RevisionOrigin.Import }, pictures, ct);

    private static async Task<long> InsertPostAsync(DbConnection connection, DbTransaction transaction, PostWrite post, PostPictures pictures, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO posts (kind, author_id, title, subtitle, slug, body_markdown, body_html, body_format, excerpt, status,
                               published_at, allow_comments, created_at, updated_at)
            VALUES (@Kind, @AuthorId, @Title, @Subtitle, @Slug, @BodyMarkdown, @BodyHtml, @BodyFormat, @Excerpt, @Status,
                    @PublishedAt, @AllowComments, @CreatedAt, @Now)
            RETURNING id
            """;
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new
        {
            post.Kind, post.AuthorId, post.Title, post.Subtitle, post.Slug, post.BodyMarkdown, post.BodyHtml, post.BodyFormat,
            post.Excerpt, post.Status, post.PublishedAt, post.AllowComments, CreatedAt = post.CreatedAt ?? post.Now, post.Now,
        }, transaction, cancellationToken: ct));
        await WriteExtrasAsync(connection, transaction, id, post, ct);
        await WritePicturesAsync(connection, transaction, id, pictures, ct);
        await WriteRevisionAsync(connection, transaction, id, post, ct);
        return id;
    }

    /// <summary>
    /// Saves the post as its next version, with its revision; when a published post's slug changes, the old one becomes
    /// a redirect. Returns the new version, or null when the post is no longer at <paramref name="expectedVersion"/>
    /// (someone saved since): then nothing is written. The check and the write are one statement, so two saves made
    /// from the same version can never both succeed.
    /// </summary>
    public async Task<long?> UpdateAsync(long id, string oldSlug, bool wasPublished, long? expectedVersion, PostWrite post, PostPictures pictures, CancellationToken ct)
    {
        const string sql = """
            UPDATE posts
            SET title = @Title, subtitle = @Subtitle, slug = @Slug, body_markdown = @BodyMarkdown, body_html = @BodyHtml,
                excerpt = @Excerpt, status = @Status, published_at = @PublishedAt, allow_comments = @AllowComments,
                updated_at = @Now, version = version + 1
            WHERE id = @Id AND (@ExpectedVersion IS NULL OR version = @ExpectedVersion)
            RETURNING version
            """;
        const string redirectSql = """
            INSERT INTO post_slug_redirects (kind, old_slug, post_id) VALUES (@Kind, @OldSlug, @Id)
            ON CONFLICT (kind, old_slug) DO UPDATE SET post_id = excluded.post_id
            """;
        await using var write = await db.BeginWriteAsync(ct);
        var version = await write.Connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, new
        {
            Id = id, post.Title, post.Subtitle, post.Slug, post.BodyMarkdown, post.BodyHtml, post.Excerpt, post.Status,
            post.PublishedAt, post.AllowComments, post.Now, ExpectedVersion = expectedVersion,
        }, write.Transaction, cancellationToken: ct));
        if (version is null)
        {
            return null;
        }
        if (wasPublished && !string.Equals(oldSlug, post.Slug, StringComparison.Ordinal))
        {
            await write.Connection.ExecuteAsync(new CommandDefinition(
                redirectSql, new { post.Kind, OldSlug = oldSlug, Id = id }, write.Transaction, cancellationToken: ct));
        }
        await WriteExtrasAsync(write.Connection, write.Transaction, id, post, ct);
        await WritePicturesAsync(write.Connection, write.Transaction, id, pictures, ct);
        await WriteRevisionAsync(write.Connection, write.Transaction, id, post, ct);
        await write.CommitAsync(ct);
        return version;
    }

    /// <summary>Keeps the text typed so far for this person; the post itself is not touched.</summary>
    public async Task AutosaveAsync(long postId, string editorId, AutosaveWrite text, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO post_autosaves (post_id, editor_id, base_version, title, subtitle, body, labels, saved_at)
            VALUES (@PostId, @EditorId, @BaseVersion, @Title, @Subtitle, @Body, @Labels, @SavedAt)
            ON CONFLICT (post_id, editor_id) DO UPDATE
            SET base_version = excluded.base_version, title = excluded.title, subtitle = excluded.subtitle,
                body = excluded.body, labels = excluded.labels, saved_at = excluded.saved_at
            """;
        await using var write = await db.BeginWriteAsync(ct);
        await write.Connection.ExecuteAsync(new CommandDefinition(sql, new
        {
            PostId = postId, EditorId = editorId, text.BaseVersion, text.Title, text.Subtitle, text.Body, text.Labels, text.SavedAt,
        }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
    }

    public async Task DiscardAutosaveAsync(long postId, string editorId, CancellationToken ct)
    {
        await using var write = await db.BeginWriteAsync(ct);
        await write.Connection.ExecuteAsync(new CommandDefinition(
            DeleteAutosaveSql, new { Id = postId, EditorId = editorId }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
    }

    public async Task DeleteAsync(long id, CancellationToken ct)
    {
        // post_labels and post_slug_redirects go with the post (ON DELETE CASCADE); so does PostgreSQL's search row
        // (a foreign key), but not SQLite's FTS5 row.
        var sql = db.Dialect.Text(new DialectSql(
            Sqlite: """
                DELETE FROM posts_fts WHERE rowid = @Id;
                DELETE FROM posts WHERE id = @Id;
                DELETE FROM labels WHERE id NOT IN (SELECT label_id FROM post_labels);
                """,
            PostgreSql: """
                DELETE FROM posts WHERE id = @Id;
                DELETE FROM labels WHERE id NOT IN (SELECT label_id FROM post_labels);
                """));
        await using var write = await db.BeginWriteAsync(ct);
        await write.Connection.ExecuteAsync(new CommandDefinition(sql, new { Id = id }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
    }

    /// <summary>What each of these posts' stored HTML is rendered from; posts deleted since are left out.</summary>
    public async Task<IReadOnlyList<PostRenderSource>> RenderSourcesAsync(IEnumerable<long> ids, CancellationToken ct)
    {
        const string sql = """
            SELECT id, version, body_markdown AS body, body_format, cover_media_id
            FROM posts WHERE id = @Id
            """;
        var sources = new List<PostRenderSource>();
        await using var connection = await db.OpenAsync(ct);
        foreach (var id in ids)
        {
            if (await connection.QuerySingleOrDefaultAsync<PostRenderSource>(new CommandDefinition(sql, new { Id = id }, cancellationToken: ct)) is { } source)
            {
                sources.Add(source);
            }
        }
        return sources;
    }

    /// <summary>
    /// Stores what rendering gave for posts (HTML, excerpt, search text, pictures) without touching what the author
    /// wrote, the version, the "updated" date or the revisions: the posts look the same to their authors. A post saved
    /// since its source was read (another version) is left alone and returned, to be rendered again from that.
    /// </summary>
    public async Task<IReadOnlyList<long>> StoreRerenderedAsync(IReadOnlyList<RerenderedPost> posts, CancellationToken ct)
    {
        const string sql = "UPDATE posts SET body_html = @Html, excerpt = @Excerpt WHERE id = @Id AND version = @Version";
        // FTS5 keys its row by rowid; PostgreSQL's posts_search by post_id, its tsvector follows body_text.
        var searchSql = db.Dialect.Text(new DialectSql(
            Sqlite: "UPDATE posts_fts SET body_text = @Text WHERE rowid = @Id",
            PostgreSql: "UPDATE posts_search SET body_text = @Text WHERE post_id = @Id"));
        var savedSince = new List<long>();
        await using var write = await db.BeginWriteAsync(ct);
        foreach (var post in posts)
        {
            var parameters = new { post.Id, post.Version, post.Body.Html, post.Body.Excerpt, post.Body.Text };
            if (await write.Connection.ExecuteAsync(new CommandDefinition(sql, parameters, write.Transaction, cancellationToken: ct)) == 0)
            {
                savedSince.Add(post.Id);
                continue;
            }
            await write.Connection.ExecuteAsync(new CommandDefinition(searchSql, parameters, write.Transaction, cancellationToken: ct));
            await WritePicturesAsync(write.Connection, write.Transaction, post.Id,
                new PostPictures { CoverMediaId = post.CoverMediaId, ShownMediaIds = post.Body.PictureIds }, ct);
        }
        await write.CommitAsync(ct);
        return savedSince;
    }

    private const string DeleteAutosaveSql = "DELETE FROM post_autosaves WHERE post_id = @Id AND editor_id = @EditorId;";

    /// <summary>
    /// Copies what the post now holds into its revision of the same version, and drops the saver's autosave: the
    /// text it kept is saved now.
    /// </summary>
    private static async Task WriteRevisionAsync(DbConnection connection, DbTransaction transaction, long id, PostWrite post, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO post_revisions (post_id, version, editor_id, origin, created_at, title, subtitle, body, body_format, labels)
            SELECT id, version, @EditorId, @Origin, @Now, title, subtitle, body_markdown, body_format, @Labels
            FROM posts WHERE id = @Id;
            """;
        var editorId = post.EditorId ?? post.AuthorId;
        await connection.ExecuteAsync(new CommandDefinition(sql, new
        {
            Id = id, EditorId = editorId, post.Origin, post.Now, Labels = string.Join(", ", post.Labels),
        }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(DeleteAutosaveSql, new { Id = id, EditorId = editorId }, transaction, cancellationToken: ct));
    }

    /// <summary>
    /// The cover and where each picture is used (post_media: the body's pictures and the cover). A picture deleted
    /// from the library since the save was checked is simply left out, never a failed save.
    /// </summary>
    private static async Task WritePicturesAsync(DbConnection connection, DbTransaction transaction, long id, PostPictures pictures, CancellationToken ct)
    {
        var sql = Dialect.Of(connection).Text(new DialectSql(
            Sqlite: """
                UPDATE posts SET cover_media_id = (SELECT id FROM media WHERE id = @CoverMediaId) WHERE id = @Id;
                DELETE FROM post_media WHERE post_id = @Id;
                INSERT INTO post_media (post_id, media_id) SELECT @Id, id FROM media WHERE id IN @MediaIds;
                """,
            PostgreSql: """
                UPDATE posts SET cover_media_id = (SELECT id FROM media WHERE id = @CoverMediaId) WHERE id = @Id;
                DELETE FROM post_media WHERE post_id = @Id;
                INSERT INTO post_media (post_id, media_id) SELECT @Id, id FROM media WHERE id = ANY(@MediaIds);
                """));
        long[] used = [.. pictures.ShownMediaIds.Append(pictures.CoverMediaId ?? 0).Where(m => m > 0).Distinct()];
        await connection.ExecuteAsync(new CommandDefinition(
            sql, new { Id = id, pictures.CoverMediaId, MediaIds = used }, transaction, cancellationToken: ct));
    }

    /// <summary>Labels, the search row and stale redirects: everything that follows the post's own row.</summary>
    private static async Task WriteExtrasAsync(DbConnection connection, DbTransaction transaction, long id, PostWrite post, CancellationToken ct)
    {
        // A live post now owns this slug, so an older redirect from it would only shadow the post.
        const string freeSlugSql = "DELETE FROM post_slug_redirects WHERE kind = @Kind AND old_slug = @Slug AND post_id <> @Id;";
        const string clearLabelsSql = "DELETE FROM post_labels WHERE post_id = @Id;";
        // A label typed in another case is the existing one. PostgreSQL compares its citext column with a text
        // parameter as text (case-sensitively), so the parameter is cast there; SQLite's column is COLLATE NOCASE.
        var labelSql = Dialect.Of(connection).Text(new DialectSql(
            Sqlite: """
                INSERT INTO labels (name) VALUES (@Name) ON CONFLICT (name) DO NOTHING;
                INSERT INTO post_labels (post_id, label_id) SELECT @Id, id FROM labels WHERE name = @Name ON CONFLICT DO NOTHING;
                """,
            PostgreSql: """
                INSERT INTO labels (name) VALUES (@Name) ON CONFLICT (name) DO NOTHING;
                INSERT INTO post_labels (post_id, label_id) SELECT @Id, id FROM labels WHERE name = CAST(@Name AS citext) ON CONFLICT DO NOTHING;
                """));
        const string orphanLabelsSql = "DELETE FROM labels WHERE id NOT IN (SELECT label_id FROM post_labels);";
        // Every post and page gets a search row whatever its status, so a scheduled post becomes findable the
        // moment its time comes without a background job. Keeping drafts, scheduled posts and pages out of
        // results is the search query's job (it joins posts and filters on kind, status and published_at).
        // FTS5 has no upsert; PostgreSQL's posts_search row is keyed by post_id and its tsvector is computed from it.
        var searchSql = Dialect.Of(connection).Text(new DialectSql(
            Sqlite: """
                DELETE FROM posts_fts WHERE rowid = @Id;
                INSERT INTO posts_fts (rowid, title, subtitle, body_text, labels) VALUES (@Id, @Title, @Subtitle, @BodyText, @LabelText);
                """,
            PostgreSql: """
                INSERT INTO posts_search (post_id, title, subtitle, body_text, labels) VALUES (@Id, @Title, @Subtitle, @BodyText, @LabelText)
                ON CONFLICT (post_id) DO UPDATE SET title = excluded.title, subtitle = excluded.subtitle,
                    body_text = excluded.body_text, labels = excluded.labels;
                """));
        await connection.ExecuteAsync(new CommandDefinition(freeSlugSql, new { post.Kind, post.Slug, Id = id }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(clearLabelsSql, new { Id = id }, transaction, cancellationToken: ct));
        foreach (var label in post.Labels)
        {
            await connection.ExecuteAsync(new CommandDefinition(labelSql, new { Id = id, Name = label }, transaction, cancellationToken: ct));
        }
        await connection.ExecuteAsync(new CommandDefinition(orphanLabelsSql, transaction: transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(searchSql, new
        {
            Id = id, post.Title, post.Subtitle, post.BodyText, LabelText = string.Join(' ', post.Labels),
        }, transaction, cancellationToken: ct));
    }
}

/// <summary>The pictures a post shows, written with it.</summary>
public sealed record PostPictures
{
    /// <summary>A library picture's id, or null for no cover.</summary>
    public long? CoverMediaId { get; init; }

    /// <summary>The pictures the body shows (<see cref="Content.RenderedBody.PictureIds"/>).</summary>
    public IReadOnlyList<long> ShownMediaIds { get; init; } = [];
}

/// <summary>What a post's stored HTML is rendered from, as of one version of it.</summary>
public sealed record PostRenderSource
{
    public long Id { get; init; }

    public long Version { get; init; }

    /// <summary>As the author wrote it, in <see cref="BodyFormat"/>.</summary>
    public string Body { get; init; } = "";

    public string BodyFormat { get; init; } = Authoring.BodyFormat.Markdown;

    public long? CoverMediaId { get; init; }
}

/// <summary>A post rendered again from its <see cref="PostRenderSource"/> of <see cref="Version"/>.</summary>
public sealed record RerenderedPost
{
    public required long Id { get; init; }

    public required long Version { get; init; }

    public long? CoverMediaId { get; init; }

    public required Content.RenderedBody Body { get; init; }
}
