using System.Globalization;
using Blog.Web.Content;
using Blog.Web.Data;
using Blog.Web.Features.Media;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;
using Dapper;

namespace Blog.Web.Features.Authoring;

/// <summary>The authoring screens' pages: the list of posts or pages by status, and the editor.</summary>
public sealed class AuthoringQueries(
    BlogDatabase db,
    SiteSettingsStore settings,
    PostRenderer renderer,
    MediaLibraryQueries pictures,
    RevisionQueries revisions,
    TimeProvider clock)
{
    public const int PageSize = 20;

    /// <summary>The labels of the post <c>p</c> as the editor shows them: separated by commas, which a label cannot contain.</summary>
    public const string LabelsOfPostSql = """
        COALESCE((SELECT string_agg(l.name, ', ' ORDER BY pl.label_id) FROM post_labels pl JOIN labels l ON l.id = pl.label_id
                  WHERE pl.post_id = p.id), '')
        """;

    public async Task<PostRow?> FindAsync(long id, CancellationToken ct)
    {
        const string sql = $"""
            SELECT p.id, p.kind, p.author_id, p.title, p.subtitle, p.slug, p.body_markdown, p.body_format, p.status, p.published_at,
                   p.allow_comments, p.cover_media_id, p.version, p.updated_at, {LabelsOfPostSql} AS labels
            FROM posts p
            WHERE p.id = @Id
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<PostRow>(new CommandDefinition(sql, new { Id = id }, cancellationToken: ct));
    }

    private async Task<StatusCounts> CountAsync(string kind, string? authorId, DateTime now, CancellationToken ct)
    {
        const string sql = """
            SELECT COUNT(*) AS all_count,
                   COUNT(*) FILTER (WHERE status = 'draft') AS drafts,
                   COUNT(*) FILTER (WHERE status = 'published' AND published_at > @Now) AS scheduled,
                   COUNT(*) FILTER (WHERE status = 'published' AND published_at <= @Now) AS published
            FROM posts
            WHERE kind = @Kind AND (@AuthorId IS NULL OR author_id = @AuthorId)
            """;
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleAsync<(long AllCount, long Drafts, long Scheduled, long Published)>(
            new CommandDefinition(sql, new { Kind = kind, AuthorId = authorId, Now = now }, cancellationToken: ct));
        return new StatusCounts { All = (int)row.AllCount, Drafts = (int)row.Drafts, Scheduled = (int)row.Scheduled, Published = (int)row.Published };
    }

    /// <summary>One page of the list, most recently edited first; <paramref name="filter"/> is all, draft, scheduled or published.</summary>
    private async Task<IReadOnlyList<PostListRow>> ListAsync(
        string kind, string? authorId, string filter, DateTime now, int page, CancellationToken ct)
    {
        const string sql = """
            SELECT p.id, p.title, p.slug, p.status, p.published_at, p.updated_at, m.display_name AS author_name
            FROM posts p
            LEFT JOIN members m ON m.id = p.author_id
            WHERE p.kind = @Kind
              AND (@AuthorId IS NULL OR p.author_id = @AuthorId)
              AND (@Filter = 'all'
                   OR (@Filter = 'draft' AND p.status = 'draft')
                   OR (@Filter = 'scheduled' AND p.status = 'published' AND p.published_at > @Now)
                   OR (@Filter = 'published' AND p.status = 'published' AND p.published_at <= @Now))
            ORDER BY p.updated_at DESC, p.id DESC
            LIMIT @Take OFFSET @Skip
            """;
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<PostListRow>(new CommandDefinition(sql, new
        {
            Kind = kind, AuthorId = authorId, Filter = filter, Now = now, Take = PageSize, Skip = (page - 1) * PageSize,
        }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>
    /// One page of the list, most recently edited first. <paramref name="authorId"/> limits it to that author's
    /// own (null: everyone's); <paramref name="page"/> past either end shows the nearest page.
    /// </summary>
    public async Task<AuthoringListPage> ListPageAsync(ContentKind kind, string? authorId, string filter, int page, CancellationToken ct)
    {
        var site = await settings.GetAsync(ct);
        var now = Now;
        var counts = await CountAsync(kind.Kind, authorId, now, ct);
        var total = filter switch
        {
            PostState.Draft => counts.Drafts,
            PostState.Scheduled => counts.Scheduled,
            PostState.Published => counts.Published,
            _ => counts.All,
        };
        var totalPages = Math.Max(1, (total + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 1, totalPages);
        return new AuthoringListPage
        {
            Kind = kind,
            Items = await ListAsync(kind.Kind, authorId, filter, now, page, ct),
            Counts = counts,
            Filter = filter,
            PageNumber = page,
            TotalPages = totalPages,
            ShowAuthors = authorId is null,
            Now = now,
            TimeZone = PostUrls.TimeZone(site.TimeZone),
            DateFormat = site.DateFormat,
        };
    }

    /// <summary>
    /// The editor for a stored post, its form filled from what is stored, or with <paramref name="useAutosave"/> from
    /// the text autosaved for <paramref name="editorId"/>. An autosave holding something the post does not is offered.
    /// </summary>
    public async Task<EditorPage> EditorAsync(ContentKind kind, PostRow post, string editorId, bool useAutosave, CancellationToken ct)
    {
        var form = await StoredFormAsync(post, ct);
        var autosave = await revisions.FindAutosaveAsync(post.Id, editorId, ct);
        if (autosave is null || autosave.SavedAt <= post.UpdatedAt || autosave.Text == PostText.Of(form))
        {
            return await EditorAsync(kind, post, form, null, ct);
        }
        if (useAutosave)
        {
            (form.Title, form.Subtitle, form.Labels, form.Body) = (autosave.Title, autosave.Subtitle, autosave.Labels, autosave.Body);
            // Written on an older version, it must meet the conflict check when saved, not overwrite what came since.
            form.Version = autosave.BaseVersion.ToString(CultureInfo.InvariantCulture);
        }
        var page = await EditorAsync(kind, post, form, null, ct);
        var offer = new AutosaveOffer
        {
            SavedAt = page.Clock!.Show(autosave.SavedAt),
            IsOnOlderVersion = autosave.BaseVersion < post.Version,
        };
        return useAutosave ? page with { AutosaveRestored = offer } : page with { AutosaveOffer = offer };
    }

    /// <summary>The editor's form filled from what is stored for <paramref name="post"/> (no autosave).</summary>
    public async Task<PostForm> StoredFormAsync(PostRow post, CancellationToken ct)
    {
        var zone = PostUrls.TimeZone((await settings.GetAsync(ct)).TimeZone);
        var local = post.PublishedAt is { } at ? TimeZoneInfo.ConvertTimeFromUtc(at, zone) : (DateTime?)null;
        return new PostForm
        {
            Title = post.Title,
            Subtitle = post.Subtitle,
            Slug = post.Slug,
            Body = post.BodyMarkdown,
            Labels = post.Labels,
            AllowComments = post.AllowComments,
            CoverMediaId = post.CoverMediaId?.ToString(CultureInfo.InvariantCulture),
            ScheduleDate = local?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ScheduleTime = local?.ToString("HH:mm", CultureInfo.InvariantCulture),
            Version = post.Version.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The editor showing <paramref name="form"/> as typed; <paramref name="post"/> is null for a new one.</summary>
    public async Task<EditorPage> EditorAsync(ContentKind kind, PostRow? post, PostForm form, string? previewHtml, CancellationToken ct)
    {
        var site = await settings.GetAsync(ct);
        var zone = PostUrls.TimeZone(site.TimeZone);
        var state = post is null ? PostState.New : PostState.Of(post.Status, post.PublishedAt, Now);
        var stateText = post?.PublishedAt is { } publishedAt
            ? TimeZoneInfo.ConvertTimeFromUtc(publishedAt, zone).ToString(SafeFormat(site.DateFormat) + " HH:mm", CultureInfo.InvariantCulture)
            : null;
        var publicUrl = post is null || state != PostState.Published ? null
            : kind == ContentKind.Page ? PostUrls.PagePath(post.Slug) : PostUrls.PostPath(post.PublishedAt!.Value, post.Slug, zone);
        return new EditorPage
        {
            Kind = kind,
            Id = post?.Id,
            Form = form,
            State = state,
            StateText = stateText,
            PublicUrl = publicUrl,
            PreviewHtml = previewHtml,
            TimeZoneId = zone.Id,
            MaxBodyLength = renderer.MaxBodyLength,
            BodyFormat = post?.BodyFormat ?? BodyFormat.Markdown,
            CoverChoices = await pictures.CoverChoicesAsync(CoverId(form.CoverMediaId), ct),
            RecentRevisions = post is null ? [] : await revisions.ListAsync(post.Id, null, RevisionQueries.EditorListSize, ct),
            CurrentVersion = post?.Version,
            Clock = new RevisionClock(zone, SafeFormat(site.DateFormat)),
        };
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The chosen cover's id, when the form names one at all; an id that is no picture is simply not offered.</summary>
    private static long? CoverId(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>The blog's date format, or ISO's when the stored one is not a valid format.</summary>
    internal static string SafeFormat(string format)
    {
        try
        {
            _ = DateTime.UnixEpoch.ToString(format, CultureInfo.InvariantCulture);
            return format;
        }
        catch (FormatException)
        {
            return "yyyy-MM-dd";
        }
    }
}
