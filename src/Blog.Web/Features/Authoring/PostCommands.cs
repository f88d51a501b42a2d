using System.Data.Common;
using System.Globalization;
using Blog.Web.Content;
using Blog.Web.Data;
using Blog.Web.Features.Media;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;

namespace Blog.Web.Features.Authoring;

/// <summary>
/// The rules of writing posts and pages: what a save needs (a body that renders, valid labels, a schedule in the
/// future, a free address), what status the pressed button gives, and that readers stop seeing cached pages as soon
/// as the change is committed.
/// </summary>
public sealed class PostCommands(
    PostStore store,
    PostRenderer renderer,
    MediaQueries media,
    SiteSettingsStore settings,
    ReaderCache readerCache,
    TimeProvider clock)
{
    private const int MaxLabels = 20;
    private const int LabelMaxLength = 50;

    /// <summary>
    /// Previews or saves the editor's form. Every problem with it is returned at once, as errors of the fields they
    /// belong to; nothing is written while there is one, or for a preview.
    /// </summary>
    public async Task<PostSaveOutcome> SaveAsync(PostSave save, CancellationToken ct)
    {
        var (kind, existing, form) = (save.Kind, save.Existing, save.Form);
        var errors = new List<FieldError>();
        var command = form.Command ?? EditorCommand.Save;
        var coverId = await ParseCoverAsync(form.CoverMediaId, errors, ct);
        // A post imported as HTML stays HTML: converting it would change what readers see.
        var format = existing?.BodyFormat ?? save.BodyFormat;
        var rendered = format == BodyFormat.Html
            ? await renderer.RenderHtmlAsync(form.Body, hasCover: coverId is not null, ct)
            : await renderer.RenderAsync(form.Body, hasCover: coverId is not null, ct);
        if (rendered.Error is { } bodyError)
        {
            errors.Add(new FieldError(nameof(PostForm.Body), bodyError));
        }
        var labels = ParseLabels(form.Labels, errors);
        DateTime? scheduledAt = command == EditorCommand.Schedule ? await ParseScheduleAsync(form, errors, ct) : null;

        if (command == EditorCommand.Preview)
        {
            return new PostSaveOutcome { Errors = errors, PreviewHtml = rendered.Body?.Html };
        }
        if (!save.FormIsValid || errors.Count > 0 || rendered.Body is null)
        {
            return new PostSaveOutcome { Errors = errors };
        }

        var slug = await ChooseSlugAsync(kind, existing?.Id, form, errors, ct);
        if (slug is null)
        {
            return new PostSaveOutcome { Errors = errors };
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var (status, publishedAt, notice) = save.PublishedAt is { } given && command == EditorCommand.Publish
            ? (PostStatus.Published, given, given > now ? "Scheduled." : "Published.")
            : Publication(command, existing, scheduledAt, now);
        var write = new PostWrite
        {
            Kind = kind.Kind,
            AuthorId = existing?.AuthorId ?? save.EditorId,
            Title = form.Title.Trim(),
            Subtitle = form.Subtitle?.Trim() ?? "",
            Slug = slug,
            BodyMarkdown = form.Body ?? "",
            BodyHtml = rendered.Body.Html,
            BodyText = rendered.Body.Text,
            Excerpt = rendered.Body.Excerpt,
            Status = status,
            PublishedAt = publishedAt,
            AllowComments = form.AllowComments,
            Labels = labels,
            Now = now,
            BodyFormat = format,
            EditorId = save.EditorId,
            Origin = save.Origin,
        };
        var pictures = new PostPictures { CoverMediaId = coverId, ShownMediaIds = rendered.Body.PictureIds };
        long? id;
        try
        {
            id = await WriteAsync(existing, save.ExpectedVersion, write, pictures, ct);
        }
        catch (DbException ex) when (DatabaseErrors.IsConstraintViolation(ex))
        {
            // Someone took the slug between our check and the insert.
            errors.Add(SlugTaken(kind, slug));
            return new PostSaveOutcome { Errors = errors };
        }
        if (id is null)
        {
            return new PostSaveOutcome { Conflict = true };
        }
        await readerCache.PostsChangedAsync();
        return new PostSaveOutcome { SavedId = id, Notice = notice };
    }

    /// <summary>
    /// Saves an older revision's text (title, subtitle, labels, body) as the post's next version, through the same
    /// rules as the editor; the address, cover, comments and status stay as they are now.
    /// </summary>
    public Task<PostSaveOutcome> RestoreAsync(ContentKind kind, PostRow post, RevisionRow revision, string editorId, long expectedVersion, CancellationToken ct) =>
        SaveAsync(new PostSave
        {
            Kind = kind,
            Existing = post,
            EditorId = editorId,
            FormIsValid = true,
            ExpectedVersion = expectedVersion,
            Origin = RevisionOrigin.Restore,
            Form = PostForm.FromRevision(post, revision),
        }, ct);

    /// <summary>
    /// Keeps the text typed so far in the editor of <paramref name="post"/> for <paramref name="editorId"/>. It never
    /// changes the post. Returns what is wrong with the text, or null once it is kept.
    /// </summary>
    public async Task<string?> AutosaveAsync(PostRow post, string editorId, PostForm form, CancellationToken ct)
    {
        if (form.VersionNumber is not { } baseVersion || baseVersion < 1 || baseVersion > post.Version)
        {
            return "The form does not say which version of the post it was written on. Reload the editor.";
        }
        if ((form.Title?.Length ?? 0) > PostForm.TitleMaxLength || (form.Subtitle?.Length ?? 0) > PostForm.SubtitleMaxLength
            || (form.Labels?.Length ?? 0) > PostForm.LabelsMaxLength)
        {
            return "The title, subtitle or labels are longer than a post allows, so they were not autosaved.";
        }
        if ((form.Body?.Length ?? 0) > renderer.MaxBodyLength)
        {
            return $"The body is longer than the limit of {renderer.MaxBodyLength:N0} characters, so it was not autosaved.";
        }
        await store.AutosaveAsync(post.Id, editorId, new AutosaveWrite
        {
            BaseVersion = baseVersion,
            Title = form.Title ?? "",
            Subtitle = form.Subtitle ?? "",
            Body = form.Body ?? "",
            Labels = form.Labels ?? "",
            SavedAt = clock.GetUtcNow().UtcDateTime,
        }, ct);
        return null;
    }

    public Task DiscardAutosaveAsync(long postId, string editorId, CancellationToken ct) =>
        store.DiscardAutosaveAsync(postId, editorId, ct);

    public async Task DeleteAsync(long id, CancellationToken ct)
    {
        await store.DeleteAsync(id, ct);
        await readerCache.PostsChangedAsync();
    }

    /// <summary>
    /// The status, publication time and notice the pressed button gives. Publishing a post that is already out
    /// keeps its date; a plain save keeps whatever the post was.
    /// </summary>
    private static (string Status, DateTime? PublishedAt, string Notice) Publication(
        string command, PostRow? existing, DateTime? scheduledAt, DateTime now)
    {
        var wasPublished = existing?.Status == PostStatus.Published;
        return command switch
        {
            EditorCommand.Publish => (PostStatus.Published, wasPublished && existing!.PublishedAt <= now ? existing.PublishedAt : now, "Published."),
            EditorCommand.Schedule => (PostStatus.Published, scheduledAt, "Scheduled."),
            EditorCommand.Unpublish => (PostStatus.Draft, null, "Unpublished: it is a draft again."),
            _ => (existing?.Status ?? PostStatus.Draft, existing?.PublishedAt, wasPublished ? "Saved." : "Draft saved."),
        };
    }

    /// <summary>
    /// Creates the post, or updates it (its old address then redirects if it was published); returns its id, or null
    /// when the post is no longer at <paramref name="expectedVersion"/>.
    /// </summary>
    private async Task<long?> WriteAsync(PostRow? existing, long? expectedVersion, PostWrite write, PostPictures pictures, CancellationToken ct)
    {
        if (existing is null)
        {
            return await store.CreateAsync(write, pictures, ct);
        }
        var version = await store.UpdateAsync(existing.Id, existing.Slug, existing.Status == PostStatus.Published, expectedVersion, write, pictures, ct);
        return version is null ? null : existing.Id;
    }

    /// <summary>The chosen cover: null for none (an empty choice), or a picture that is in the library.</summary>
    private async Task<long?> ParseCoverAsync(string? text, List<FieldError> errors, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && await media.ExistsAsync(id, ct))
        {
            return id;
        }
        errors.Add(new FieldError(nameof(PostForm.CoverMediaId), "That cover picture is not in the library (it may have been deleted). Choose another, or none."));
        return null;
    }

    /// <summary>
    /// A typed slug is normalised and must be free; an empty one is made from the title, with -2, -3, ... added
    /// when that is taken (only generated slugs get a suffix: a chosen address is never changed silently).
    /// </summary>
    private async Task<string?> ChooseSlugAsync(ContentKind kind, long? id, PostForm form, List<FieldError> errors, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(form.Slug))
        {
            var typed = Slugs.From(form.Slug);
            if (typed.Length == 0)
            {
                errors.Add(new FieldError(nameof(PostForm.Slug), "Use letters or digits in the address, or leave it empty to make one from the title."));
                return null;
            }
            if ((await store.SlugsLikeAsync(kind.Kind, typed, id, ct)).Contains(typed))
            {
                errors.Add(SlugTaken(kind, typed));
                return null;
            }
            return typed;
        }
        var generated = Slugs.FromTitle(form.Title);
        // A suffix can cut the end off a long slug (WithSuffix stays within MaxLength), so "-2" of an 80-character slug
        // does not start with it: look up everything sharing the part no suffix of up to eight characters ever cuts.
        var stem = generated[..Math.Min(generated.Length, Slugs.MaxLength - 8)].TrimEnd('-');
        var taken = await store.SlugsLikeAsync(kind.Kind, stem, id, ct);
        var candidate = generated;
        for (var n = 2; taken.Contains(candidate); n++)
        {
            candidate = Slugs.WithSuffix(generated, n);
        }
        return candidate;
    }

    private static FieldError SlugTaken(ContentKind kind, string slug) =>
        new(nameof(PostForm.Slug), $"Another {kind.Singular} already uses the address “{slug}”. Choose a different one.");

    private static List<string> ParseLabels(string? text, List<FieldError> errors)
    {
        var labels = new List<string>();
        foreach (var raw in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var label = string.Join(' ', raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            if (label.Length > LabelMaxLength)
            {
                errors.Add(new FieldError(nameof(PostForm.Labels), $"Keep each label to {LabelMaxLength} characters or fewer (“{label[..20]}…” is longer)."));
                return labels;
            }
            if (!labels.Contains(label, StringComparer.OrdinalIgnoreCase))
            {
                labels.Add(label);
            }
        }
        if (labels.Count > MaxLabels)
        {
            errors.Add(new FieldError(nameof(PostForm.Labels), $"Use at most {MaxLabels} labels."));
        }
        return labels;
    }

    /// <summary>The schedule's date and time, read in the blog's time zone and returned in UTC.</summary>
    private async Task<DateTime?> ParseScheduleAsync(PostForm form, List<FieldError> errors, CancellationToken ct)
    {
        if (!form.TryReadScheduleDate(out var date))
        {
            errors.Add(new FieldError(nameof(PostForm.ScheduleDate), "Enter the date to publish on, like 2030-01-31." + NotA("date", form.ScheduleDate)));
            return null;
        }
        if (!form.TryReadScheduleTime(out var time))
        {
            errors.Add(new FieldError(nameof(PostForm.ScheduleTime), "Enter the time to publish at, like 09:30." + NotA("time", form.ScheduleTime)));
            return null;
        }
        var zone = PostUrls.TimeZone((await settings.GetAsync(ct)).TimeZone);
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            errors.Add(new FieldError(nameof(PostForm.ScheduleTime), "That time does not exist in the blog's time zone (the clocks skip it). Pick another."));
            return null;
        }
        var utc = TimeZoneInfo.ConvertTimeToUtc(local, zone);
        if (utc <= clock.GetUtcNow().UtcDateTime)
        {
            errors.Add(new FieldError(nameof(PostForm.ScheduleDate), "Choose a time in the future, or use “Publish now”."));
            return null;
        }
        return utc;
    }

    /// <summary>
    /// Names what was typed, because a date or time input can only show back a valid value (see
    /// <see cref="EditorPage.ScheduleDateValue"/>): the message keeps the text the form cannot.
    /// </summary>
    private static string NotA(string what, string? typed) =>
        string.IsNullOrWhiteSpace(typed) ? "" : $" “{typed.Trim()}” is not a {what}.";
}

/// <summary>The editor's form as posted, and what the command needs to know around it.</summary>
public sealed record PostSave
{
    public required ContentKind Kind { get; init; }

    /// <summary>Null for a new post or page.</summary>
    public PostRow? Existing { get; init; }

    public required PostForm Form { get; init; }

    /// <summary>Who saves: the author of a new post, and of an existing one whose author's account is gone.</summary>
    public required string EditorId { get; init; }

    /// <summary>
    /// False when the form failed its own checks (a missing title, a field too long) as it was bound: then nothing
    /// is saved, but the checks only the command makes still run, so every error shows at once.
    /// </summary>
    public required bool FormIsValid { get; init; }

    /// <summary>
    /// The version of the post the editor opened (posts.version): a save made from an older one is refused rather than
    /// overwriting what someone else saved since. Null skips the check (a client that edits by property, like Micropub).
    /// </summary>
    public long? ExpectedVersion { get; init; }

    /// <summary>
    /// An explicit publication time given by an API client (Micropub's <c>published</c>), used with
    /// <see cref="EditorCommand.Publish"/>: a past time back-dates the post, a future one schedules it.
    /// </summary>
    public DateTime? PublishedAt { get; init; }

    /// <summary>
    /// What a new post's body is written in (a <see cref="Authoring.BodyFormat"/>): Markdown from the editor, HTML from an
    /// API client that sends HTML. An existing post keeps its own format.
    /// </summary>
    public string BodyFormat { get; init; } = Authoring.BodyFormat.Markdown;

    /// <summary>A <see cref="RevisionOrigin"/>: how the text came, kept in the revision this save writes.</summary>
    public string Origin { get; init; } = RevisionOrigin.Editor;
}

/// <summary>Saved (<see cref="SavedId"/> set), or not, with the errors to show in the editor and any preview.</summary>
public sealed record PostSaveOutcome
{
    public long? SavedId { get; init; }

    /// <summary>What to tell the author after a save: "Published.", "Draft saved.", …</summary>
    public string? Notice { get; init; }

    public string? PreviewHtml { get; init; }

    public IReadOnlyList<FieldError> Errors { get; init; } = [];

    /// <summary>True when nothing was saved because the post changed since <see cref="PostSave.ExpectedVersion"/>.</summary>
    public bool Conflict { get; init; }
}

public sealed record FieldError(string Field, string Message);

/// <summary>The editor's buttons (the form's <c>Command</c>); anything else saves.</summary>
public static class EditorCommand
{
    public const string Preview = "preview";
    public const string Save = "save";
    public const string Publish = "publish";
    public const string Schedule = "schedule";
    public const string Unpublish = "unpublish";
}
