using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Blog.Web.Features.Authoring;
using Blog.Web.Hosting;

namespace Blog.Web.Features.Media;

/// <summary>
/// The rules of the picture library: what an upload needs (a picture the processor accepts, and a description unless
/// it is decorative), who may re-describe or delete a picture (the owner, or whoever uploaded it), that a picture
/// posts still show is deleted only when that is confirmed, and that the posts showing a picture are rendered again
/// when it is re-described or deleted (which also evicts their cached pages).
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The semaphore's wait handle is never asked for, so it holds nothing to dispose.")]
public sealed class MediaCommands(
    MediaImageProcessor processor,
    MediaStore store,
    MediaFiles files,
    DataFolder dataFolder,
    PostRerenderer rerenderer,
    TimeProvider clock)
{
    public const int AltTextMaxLength = 1_000;
    public const int FileNameMaxLength = 200;

    /// <summary>The widest file the editor's Markdown points at: wider files only serve large screens through srcset.</summary>
    public const int MarkdownMaxWidth = 1600;

    // Deleting a picture removes its rows, then its files; storing one checks its files are there, then adds its
    // rows. One at a time, so a picture deleted while the same bytes are uploaded again never ends up as rows
    // whose files are gone.
    private readonly SemaphoreSlim _rowsAndFiles = new(1, 1);

    public async Task<MediaUploadOutcome> UploadAsync(MediaUpload upload, CancellationToken ct)
    {
        var altText = OneLine(upload.AltText);
        if (DescriptionProblem(altText, upload.Decorative) is { } problem)
        {
            return MediaUploadOutcome.Refused(MediaUploadField.AltText, problem);
        }

        var processing = await processor.ProcessAsync(upload.Content, ct);
        if (processing.Picture is not { } picture)
        {
            return MediaUploadOutcome.Refused(MediaUploadField.File, processing.Error ?? "That file could not be read as a picture.");
        }

        var row = new MediaRow
        {
            Hash = picture.Hash,
            FileName = CleanFileName(upload.FileName),
            AltText = upload.Decorative ? "" : altText,
            Decorative = upload.Decorative,
            Width = picture.Width,
            Height = picture.Height,
            SourceFormat = picture.SourceFormat,
            HasAlpha = picture.HasAlpha,
            Animated = picture.Animated,
            UploadedBy = upload.UploaderId,
            UploadedAt = clock.GetUtcNow().UtcDateTime,
        };
        await _rowsAndFiles.WaitAsync(ct);
        try
        {
            if (!picture.Files.All(file => File.Exists(Path.Combine(dataFolder.MediaPath, MediaAddresses.FileName(picture.Hash, file.Width, file.Format)))))
            {
                return MediaUploadOutcome.Refused(MediaUploadField.File,
                    "The same picture was being deleted from the library just then. Upload it again.");
            }
            var (stored, created) = await store.AddAsync(row, picture.Files, ct);
            var storedFiles = await store.FilesAsync(stored.Id, ct);
            return new MediaUploadOutcome
            {
                Media = stored,
                Files = storedFiles,
                Created = created,
                // What this person typed, even when the same picture was already in the library with other words:
                // the words belong to where they put it.
                Markdown = Markdown(stored, storedFiles, upload.Decorative ? "" : altText),
            };
        }
        finally
        {
            _rowsAndFiles.Release();
        }
    }

    /// <summary>Changes a picture's description. The owner and whoever uploaded it may.</summary>
    public async Task<MediaChangeOutcome> DescribeAsync(long id, string? altText, bool decorative, MediaActor actor, CancellationToken ct)
    {
        var media = await store.FindAsync(id, ct);
        if (media is null || !actor.MayChange(media))
        {
            return media is null ? MediaChangeOutcome.NotFound : MediaChangeOutcome.Forbidden;
        }
        var cleaned = OneLine(altText);
        if (DescriptionProblem(cleaned, decorative) is { } problem)
        {
            return MediaChangeOutcome.Refused(problem);
        }
        await store.UpdateDescriptionAsync(id, decorative ? "" : cleaned, decorative, ct);
        // Bodies that leave the alt text to the library hold the old words until rendered again; a cover's is read
        // when its post is shown, and the re-render evicts that page too. Not the request's token: the description
        // is saved, so the posts must follow even if the author hangs up.
        var uses = await store.UsesAsync([id], ct);
        await rerenderer.RerenderAsync([.. uses.Select(use => use.PostId)], CancellationToken.None);
        return MediaChangeOutcome.Done;
    }

    /// <summary>
    /// Deletes a picture: its rows, then its files. While posts show it, only when <paramref name="confirmed"/>; the
    /// outcome then lists them.
    /// </summary>
    public async Task<MediaChangeOutcome> DeleteAsync(long id, bool confirmed, MediaActor actor, CancellationToken ct)
    {
        var media = await store.FindAsync(id, ct);
        if (media is null || !actor.MayChange(media))
        {
            return media is null ? MediaChangeOutcome.NotFound : MediaChangeOutcome.Forbidden;
        }
        var uses = await store.UsesAsync([id], ct);
        if (uses.Count > 0 && !confirmed)
        {
            return MediaChangeOutcome.Refused("Posts still show this picture. Tick the box to delete it anyway.") with { Uses = uses };
        }
        await _rowsAndFiles.WaitAsync(ct);
        try
        {
            if (!await store.DeleteAsync(id, ct))
            {
                return MediaChangeOutcome.NotFound;
            }
            await files.DeleteAllAsync(media.Hash, CancellationToken.None);
        }
        finally
        {
            _rowsAndFiles.Release();
        }
        // The posts that showed it would now show a broken image: rendered again, they show its description as text
        // (see BodyPictures). Outside the lock, so a picture used by thousands of posts does not hold up uploads.
        await rerenderer.RerenderAsync([.. uses.Select(use => use.PostId)], CancellationToken.None);
        return MediaChangeOutcome.Done;
    }

    /// <summary>
    /// The Markdown that shows the picture: its fallback file no wider than <see cref="MarkdownMaxWidth"/>, which
    /// every browser can show; the post renderer adds the WebP files and the other widths.
    /// </summary>
    public static string Markdown(MediaRow media, IReadOnlyList<MediaFileRow> files, string altText)
    {
        var fallback = files.Where(file => file.Format == media.FallbackFormat).ToList();
        var width = fallback.Where(file => file.Width <= MarkdownMaxWidth).Select(file => file.Width).DefaultIfEmpty(0).Max();
        if (width == 0)
        {
            width = fallback.Select(file => file.Width).DefaultIfEmpty(media.Width).Min();
        }
        return $"![{EscapeMarkdown(altText)}]({MediaAddresses.PathOf(media.Hash, width, media.FallbackFormat)})";
    }

    /// <summary>
    /// What is wrong with a description (already <see cref="OneLine"/>), or null when it will do: empty is only
    /// for a decorative picture, and none may be longer than <see cref="AltTextMaxLength"/>.
    /// </summary>
    private static string? DescriptionProblem(string description, bool decorative) =>
        !decorative && description.Length == 0
            ? "Describe the picture for people who cannot see it, or tick “decorative” if it adds nothing to the text."
            : description.Length > AltTextMaxLength
                ? $"Keep the description to {AltTextMaxLength.ToString("N0", CultureInfo.InvariantCulture)} characters or fewer."
                : null;

    /// <summary>Alt text as one line: line breaks and tabs become spaces, runs of spaces one.</summary>
    public static string OneLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Trim())
        {
            var space = char.IsWhiteSpace(c) || char.IsControl(c);
            if (!space)
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != ' ')
            {
                builder.Append(' ');
            }
        }
        return builder.ToString();
    }

    /// <summary>The uploaded file's name as the library shows it: the last part of a path, one line, not too long.</summary>
    public static string CleanFileName(string? fileName)
    {
        var name = OneLine(fileName?.Split('/', '\\')[^1]);
        if (name.Length > FileNameMaxLength)
        {
            // Never cut a surrogate pair in half.
            var cut = char.IsLowSurrogate(name[FileNameMaxLength]) ? FileNameMaxLength - 1 : FileNameMaxLength;
            name = name[..cut];
        }
        return name.Length == 0 ? "picture" : name;
    }

    /// <summary>Backslash before every character that would make alt text into Markdown syntax.</summary>
    private static string EscapeMarkdown(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '&' or '~' or '|' or '!' or '(' or ')')
            {
                builder.Append('\\');
            }
            builder.Append(c);
        }
        return builder.ToString();
    }
}

/// <summary>A file someone uploads to the library, with its description.</summary>
public sealed record MediaUpload
{
    public required Stream Content { get; init; }
    public string FileName { get; init; } = "";
    public string AltText { get; init; } = "";
    /// <summary>The picture adds nothing a reader would miss: shown with empty alt text, on purpose.</summary>
    public bool Decorative { get; init; }
    public string? UploaderId { get; init; }
}

/// <summary>The form fields an upload's error belongs to.</summary>
public enum MediaUploadField
{
    File,
    AltText,
}

/// <summary>What became of an upload: the stored picture and the Markdown that shows it, or why it was refused.</summary>
public sealed record MediaUploadOutcome
{
    public MediaRow? Media { get; init; }
    public IReadOnlyList<MediaFileRow> Files { get; init; } = [];
    public string? Error { get; init; }
    /// <summary>The field <see cref="Error"/> belongs to.</summary>
    public MediaUploadField ErrorField { get; init; }
    public string? Markdown { get; init; }
    /// <summary>False when the same bytes were already in the library: that picture is the answer.</summary>
    public bool Created { get; init; }

    public static MediaUploadOutcome Refused(MediaUploadField field, string error) => new() { Error = error, ErrorField = field };
}

/// <summary>Who asks to change a picture, as far as the library's rules care.</summary>
public sealed record MediaActor(string? MemberId, bool IsOwner)
{
    public bool MayChange(MediaRow media) => IsOwner || (MemberId is not null && media.UploadedBy == MemberId);
}

public sealed record MediaChangeOutcome
{
    public static readonly MediaChangeOutcome Done = new() { Status = MediaChangeStatus.Done };
    public static readonly MediaChangeOutcome NotFound = new() { Status = MediaChangeStatus.NotFound };
    public static readonly MediaChangeOutcome Forbidden = new() { Status = MediaChangeStatus.Forbidden };

    public MediaChangeStatus Status { get; init; }
    public string? Error { get; init; }
    /// <summary>The posts that still show the picture, when that is why it was not deleted.</summary>
    public IReadOnlyList<MediaUse> Uses { get; init; } = [];

    public static MediaChangeOutcome Refused(string error) => new() { Status = MediaChangeStatus.Refused, Error = error };
}

public enum MediaChangeStatus
{
    Done,
    NotFound,
    Forbidden,
    Refused,
}
