using System.Globalization;
using System.Text.RegularExpressions;

namespace Blog.Web.Features.Media;

/// <summary>The formats pictures are accepted in and stored as; the spellings stored in <c>media</c>.</summary>
public static class MediaFormat
{
    public const string Jpeg = "jpeg";
    public const string Png = "png";
    public const string Gif = "gif";
    public const string WebP = "webp";

    public static string Extension(string format) => format switch
    {
        Jpeg => "jpg",
        Png => "png",
        WebP => "webp",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not a stored format."),
    };

    public static string ContentType(string format) => format switch
    {
        Jpeg => "image/jpeg",
        Png => "image/png",
        WebP => "image/webp",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not a stored format."),
    };

    /// <summary>The format of the files for browsers without WebP: PNG keeps transparency, JPEG is smaller.</summary>
    public static string Fallback(bool hasAlpha) => hasAlpha ? Png : Jpeg;
}

/// <summary>One picture in the library, as the <c>media</c> table holds it.</summary>
public sealed record MediaRow
{
    public long Id { get; init; }
    public required string Hash { get; init; }
    public required string FileName { get; init; }
    public string AltText { get; init; } = "";
    public bool Decorative { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }
    public required string SourceFormat { get; init; }
    public bool HasAlpha { get; init; }
    public bool Animated { get; init; }
    public string? UploadedBy { get; init; }
    public DateTime UploadedAt { get; init; }

    public string FallbackFormat => MediaFormat.Fallback(HasAlpha);
}

/// <summary>One stored file of a picture (a <c>media_files</c> row).</summary>
public sealed record MediaFileRow
{
    public long MediaId { get; init; }
    public required string Format { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }
    public long ByteSize { get; init; }
}

/// <summary>
/// Where a picture's files are found: <c>/media/{hash}-{width}.{webp|jpg|png}</c>, the same name in the data folder's
/// media/ directory. The hash is of the uploaded bytes, so a name is never reused for other content.
/// </summary>
public static partial class MediaAddresses
{
    public const string PathPrefix = "/media/";

    /// <summary>The widths pictures are stored at; a smaller picture is kept at its own width, never enlarged.</summary>
    public static readonly IReadOnlyList<int> StandardWidths = [480, 960, 1600, 2400];

    /// <summary>The widths stored for a picture <paramref name="width"/> pixels wide (upright), smallest first.</summary>
    public static IReadOnlyList<int> WidthsFor(int width)
    {
        var largest = Math.Min(width, StandardWidths[^1]);
        var widths = StandardWidths.Where(w => w < largest).ToList();
        widths.Add(largest);
        return widths;
    }

    public static string FileName(string hash, int width, string format) =>
        string.Create(CultureInfo.InvariantCulture, $"{hash}-{width}.{MediaFormat.Extension(format)}");

    public static string PathOf(string hash, int width, string format) => PathPrefix + FileName(hash, width, format);

    /// <summary>Reads a media address (or a bare file name) back into its parts; false for anything else.</summary>
    public static bool TryParse(string? pathOrName, out string hash, out int width, out string format)
    {
        (hash, width, format) = ("", 0, "");
        var match = pathOrName is null ? Match.Empty : FileNamePattern().Match(pathOrName);
        if (!match.Success || !int.TryParse(match.Groups["width"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out width))
        {
            return false;
        }
        hash = match.Groups["hash"].Value;
        format = match.Groups["ext"].Value switch { "jpg" => MediaFormat.Jpeg, "png" => MediaFormat.Png, _ => MediaFormat.WebP };
        return true;
    }

    [GeneratedRegex(@"^(?:/media/)?(?<hash>[0-9a-f]{20})-(?<width>[1-9][0-9]{0,4})\.(?<ext>webp|jpg|png)\z", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();
}
