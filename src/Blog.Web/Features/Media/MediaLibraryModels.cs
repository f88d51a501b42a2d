using System.Globalization;

namespace Blog.Web.Features.Media;

/// <summary>
/// Where a page of the library starts: just after the picture uploaded at <see cref="UploadedAt"/> with
/// <see cref="Id"/>. Written into the "Older pictures" link as <c>ticks-id</c>.
/// </summary>
public sealed record MediaCursor(DateTime UploadedAt, long Id)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{UploadedAt.Ticks}-{Id}");

    /// <summary>The cursor a link carries; null for anything else (which shows the first page).</summary>
    public static MediaCursor? Parse(string? text)
    {
        var parts = text?.Split('-') ?? [];
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTime.MaxValue.Ticks
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? new MediaCursor(new DateTime(ticks, DateTimeKind.Utc), id)
            : null;
    }
}

/// <summary>The upload form as it was sent, shown again with its errors when it was refused.</summary>
public sealed record MediaUploadForm
{
    public string AltText { get; init; } = "";
    public bool Decorative { get; init; }
    public string? FileError { get; init; }
    public string? AltTextError { get; init; }
}

/// <summary>A picture as the library shows it.</summary>
public sealed record MediaLibraryItem
{
    public required MediaRow Media { get; init; }
    /// <summary>Null when the uploader's account is gone.</summary>
    public string? UploaderName { get; init; }
    public required IReadOnlyList<MediaFileRow> Files { get; init; }
    public required IReadOnlyList<MediaUse> Uses { get; init; }
    /// <summary>The person looking may re-describe and delete it (the owner, or whoever uploaded it).</summary>
    public bool MayChange { get; init; }

    public string Markdown => MediaCommands.Markdown(Media, Files, Media.Decorative ? "" : Media.AltText);

    public IEnumerable<int> Widths => Files.Select(file => file.Width).Distinct().Order();

    public long TotalBytes => Files.Sum(file => file.ByteSize);

    /// <summary>The smallest file of <paramref name="format"/>, which the library shows as the thumbnail.</summary>
    public MediaFileRow? Smallest(string format) => Files.Where(file => file.Format == format).MinBy(file => file.Width);

    public static string EditorPath(MediaUse use) =>
        string.Create(CultureInfo.InvariantCulture, $"/admin/{(use.Kind == Posts.PostKind.Page ? "pages" : "posts")}/{use.PostId}/edit");

    /// <summary>A byte count as people read it: 812 KB, 3.4 MB (of 1,024 bytes each, as file managers count).</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };
}

public sealed record MediaLibraryPage
{
    public required IReadOnlyList<MediaLibraryItem> Items { get; init; }
    public bool IsFirstPage { get; init; }
    /// <summary>Where the next (older) page starts; null on the last page.</summary>
    public MediaCursor? OlderCursor { get; init; }
    public required MediaUploadForm Upload { get; init; }
}

/// <summary>What the upload page shows once the picture is in the library: the picture and the Markdown to copy.</summary>
public sealed record MediaUploadedPage
{
    public required MediaLibraryItem Item { get; init; }
    public required string Markdown { get; init; }
    /// <summary>The same bytes were already in the library: nothing new was stored.</summary>
    public bool AlreadyInLibrary { get; init; }
}

/// <summary>The delete page (and the describe form shown again after a refusal).</summary>
public sealed record MediaItemPage
{
    public required MediaLibraryItem Item { get; init; }
    public string? Error { get; init; }
    /// <summary>The description as typed, when it was refused.</summary>
    public string? AltText { get; init; }
    public bool Decorative { get; init; }
}

/// <summary>A library picture the editor offers as a post's cover.</summary>
public sealed record MediaChoice
{
    public long Id { get; init; }
    public string Hash { get; init; } = "";
    public string FileName { get; init; } = "";
    public string AltText { get; init; } = "";
    public bool Decorative { get; init; }
    public bool HasAlpha { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }
    public DateTime UploadedAt { get; init; }

    /// <summary>What the option says: the description, else the file's name.</summary>
    public string Label => AltText.Length > 0 ? $"{Shorten(AltText)} ({FileName})" : FileName;

    /// <summary>The smallest stored width, which the editor shows beside the choice.</summary>
    public int ThumbnailWidth => MediaAddresses.WidthsFor(Width)[0];

    public int ThumbnailHeight => (int)Math.Max(1, Math.Round(Height * (double)ThumbnailWidth / Width));

    public string ThumbnailPath(string format) => MediaAddresses.PathOf(Hash, ThumbnailWidth, format);

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..(char.IsHighSurrogate(text[59]) ? 59 : 60)] + "…";
}
