using System.Globalization;
using System.Net;
using System.Text;

namespace Blog.Web.Features.Media;

/// <summary>
/// The <c>&lt;picture&gt;</c> a library picture is shown with: a WebP source and a JPEG/PNG fallback, each listing
/// every stored width so the browser fetches the smallest file that fills the space, and the picture's own
/// width and height so the page keeps its place for it while it loads (no layout shift).
/// </summary>
public static class PictureMarkup
{
    /// <summary>
    /// How wide a picture in the content column is drawn: the column's 42rem beside the sidebar (site.css,
    /// <c>--measure</c>, from 56rem up), else the screen less the page's 1rem margins.
    /// </summary>
    public const string ColumnSizes = "(min-width: 56rem) 42rem, calc(100vw - 2rem)";

    /// <summary>
    /// The width of the file named in <c>src</c> (and in the Markdown the editor inserts): large enough for the
    /// content column on a high-density screen, for browsers that read neither srcset nor WebP.
    /// </summary>
    public const int DefaultWidth = 1600;

    public static string Html(PictureFiles picture, PictureLook look)
    {
        var html = new StringBuilder(400 + picture.Files.Count * 60);
        html.Append("<picture><source type=\"image/webp\"");
        Attribute(html, "srcset", SrcSet(picture, MediaFormat.WebP));
        Attribute(html, "sizes", look.Sizes);
        html.Append("><img");
        Attribute(html, "src", picture.DefaultFile.Path);
        Attribute(html, "srcset", SrcSet(picture, picture.FallbackFormat));
        Attribute(html, "sizes", look.Sizes);
        Attribute(html, "width", picture.Width.ToString(CultureInfo.InvariantCulture));
        Attribute(html, "height", picture.Height.ToString(CultureInfo.InvariantCulture));
        Attribute(html, "alt", look.Alt);
        if (look.Title is { Length: > 0 } title)
        {
            Attribute(html, "title", title);
        }
        Attribute(html, "loading", look.Eager ? "eager" : "lazy");
        Attribute(html, "decoding", "async");
        if (look.Eager && look.HighPriority)
        {
            Attribute(html, "fetchpriority", "high");
        }
        return html.Append("></picture>").ToString();
    }

    private static string SrcSet(PictureFiles picture, string format) =>
        string.Join(", ", picture.Files
            .Where(f => f.Format == format)
            .Select(f => string.Create(CultureInfo.InvariantCulture, $"{MediaAddresses.PathOf(picture.Hash, f.Width, format)} {f.Width}w")));

    private static void Attribute(StringBuilder html, string name, string value) =>
        html.Append(' ').Append(name).Append("=\"").Append(WebUtility.HtmlEncode(value)).Append('"');
}

/// <summary>How one showing of a picture looks: its text alternative and how eagerly the browser fetches it.</summary>
public sealed record PictureLook
{
    /// <summary>Empty for a decorative picture (screen readers then skip it).</summary>
    public required string Alt { get; init; }

    public string? Title { get; init; }

    public string Sizes { get; init; } = PictureMarkup.ColumnSizes;

    /// <summary>Fetched at once (the first picture of a page), rather than when it nears the screen.</summary>
    public bool Eager { get; init; }

    /// <summary>The largest thing on the first screen: fetched before other images (only when eager).</summary>
    public bool HighPriority { get; init; }
}

/// <summary>A picture's stored files, as the markup and link previews need them.</summary>
public sealed record PictureFiles
{
    public required string Hash { get; init; }

    /// <summary>Of the largest file, upright.</summary>
    public required int Width { get; init; }

    public required int Height { get; init; }

    /// <summary>A <see cref="MediaFormat"/>: PNG for a picture with transparency, else JPEG.</summary>
    public required string FallbackFormat { get; init; }

    /// <summary>Every stored file, smallest first.</summary>
    public required IReadOnlyList<MediaFileRow> Files { get; init; }

    /// <summary>The largest fallback file no wider than <see cref="PictureMarkup.DefaultWidth"/>.</summary>
    public (string Path, int Width, int Height) DefaultFile
    {
        get
        {
            var fallbacks = Files.Where(f => f.Format == FallbackFormat).ToList();
            var file = fallbacks.LastOrDefault(f => f.Width <= PictureMarkup.DefaultWidth) ?? fallbacks.FirstOrDefault()
                ?? new MediaFileRow { Format = FallbackFormat, Width = Width, Height = Height };
            return (MediaAddresses.PathOf(Hash, file.Width, FallbackFormat), file.Width, file.Height);
        }
    }

    /// <summary>From the files the library lists for the picture.</summary>
    public static PictureFiles Of(MediaPicture picture) => new()
    {
        Hash = picture.Media.Hash,
        Width = picture.Media.Width,
        Height = picture.Media.Height,
        FallbackFormat = picture.Media.FallbackFormat,
        Files = [.. picture.Files.OrderBy(f => f.Width)],
    };

    /// <summary>
    /// From the picture's row alone, for lists and covers read with the post in one query: every picture is stored
    /// at <see cref="MediaAddresses.WidthsFor"/> its width, in WebP and in its fallback format.
    /// </summary>
    public static PictureFiles Of(string hash, int width, int height, bool hasAlpha)
    {
        var fallback = MediaFormat.Fallback(hasAlpha);
        var widths = MediaAddresses.WidthsFor(width).Distinct().ToList();
        return new()
        {
            Hash = hash,
            Width = width,
            Height = height,
            FallbackFormat = fallback,
            Files = [.. widths.SelectMany(w => new[] { MediaFormat.WebP, fallback }.Select(format => new MediaFileRow
            {
                Format = format,
                Width = w,
                Height = Math.Max(1, (int)Math.Round((double)height * w / Math.Max(1, width), MidpointRounding.AwayFromZero)),
            }))],
        };
    }
}
