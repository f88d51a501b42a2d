using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Blog.Web.Features.Media;

namespace Blog.Web.Content;

/// <summary>
/// Turns the images of a rendered body that show library pictures into <see cref="PictureMarkup"/>, before the
/// body is sanitized (so the sanitizer still has the last word on what is stored).
/// </summary>
internal static partial class BodyPictures
{
    /// <summary>
    /// More pictures than a post could sensibly show: more distinct ones are not looked up, and images past this
    /// many stay plain images, so a body of nothing but image links cannot grow twentyfold into markup.
    /// </summary>
    public const int MaxPictures = 200;

    /// <summary>
    /// The top-level blocks a first picture may follow and still be on the first screen, where it is the
    /// largest thing to fetch (a heading and a paragraph, say).
    /// </summary>
    private const int FirstScreenBlocks = 2;

    /// <summary>The class of the text shown instead of a picture that is gone (the post sanitizer keeps it).</summary>
    public const string GoneClass = "picture-gone";

    private static readonly HtmlParser Parser = new();

    /// <summary>
    /// The hashes of every media address in <paramref name="markdown"/>: a superset of the pictures the body shows
    /// (an address in a code sample is looked up too, and then simply not used), found without rendering it.
    /// </summary>
    public static IReadOnlyCollection<string> HashesIn(string markdown)
    {
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        for (var match = MediaHash().Match(markdown); match.Success && hashes.Count < MaxPictures; match = match.NextMatch())
        {
            hashes.Add(match.Groups["hash"].Value);
        }
        return hashes;
    }

    /// <summary>
    /// The body with each <c>&lt;img&gt;</c> of a known picture replaced, and the ids of the pictures it shows. The
    /// author's alt text wins, else the library's; a decorative picture without one gets an empty alt. An image of
    /// a hash in <paramref name="lookedUp"/> that the library does not hold (deleted, or never uploaded) would be a
    /// broken image: it becomes its alt text (see <see cref="Gone"/>).
    /// </summary>
    public static (string Html, IReadOnlyList<long> PictureIds) Replace(
        string html, IReadOnlyList<MediaPicture> pictures, IReadOnlyCollection<string> lookedUp, bool hasCover)
    {
        if (lookedUp.Count == 0)
        {
            return (html, []);
        }
        var byHash = pictures.ToDictionary(p => p.Media.Hash, StringComparer.Ordinal);
        var body = Parser.ParseDocument("<body>" + html + "</body>").Body!;
        var shown = new List<long>();
        var replaced = 0;
        foreach (var image in body.QuerySelectorAll("img").ToList())
        {
            if (replaced == MaxPictures)
            {
                break;
            }
            if (!MediaAddresses.TryParse(image.GetAttribute("src"), out var hash, out _, out _))
            {
                continue;
            }
            if (!byHash.TryGetValue(hash, out var picture))
            {
                if (lookedUp.Contains(hash))
                {
                    Gone(image);
                }
                continue;
            }
            var first = replaced++ == 0;
            var look = new PictureLook
            {
                Alt = AltFor(image.GetAttribute("alt"), picture.Media),
                Title = image.GetAttribute("title"),
                Eager = first,
                HighPriority = first && !hasCover && BlocksBefore(body, image) < FirstScreenBlocks,
            };
            image.OuterHtml = PictureMarkup.Html(PictureFiles.Of(picture), look);
            if (!shown.Contains(picture.Media.Id))
            {
                shown.Add(picture.Media.Id);
            }
        }
        return (body.InnerHtml, shown);
    }

    /// <summary>
    /// What a reader sees where a picture is no longer in the library: the author's description of it as text
    /// (never a broken-image box), or nothing when they wrote none. The library's description went with the picture,
    /// so the editor's preview, which only knows what the library holds now, shows exactly the same.
    /// </summary>
    private static void Gone(IElement image)
    {
        var alt = image.GetAttribute("alt")?.Trim();
        if (string.IsNullOrEmpty(alt))
        {
            image.Remove();
            return;
        }
        var text = image.Owner!.CreateElement("span");
        text.ClassName = GoneClass;
        text.TextContent = alt;
        image.Replace(text);
    }

    private static string AltFor(string? written, MediaRow media) =>
        !string.IsNullOrWhiteSpace(written) ? written.Trim() : media.Decorative ? "" : media.AltText;

    /// <summary>How many of the body's top-level blocks come before the one holding <paramref name="node"/>.</summary>
    private static int BlocksBefore(IElement body, INode node)
    {
        while (node.Parent is { } parent && parent != body)
        {
            node = parent;
        }
        return node is IElement block ? body.Children.Index(block) : 0;
    }

    [GeneratedRegex(@"/media/(?<hash>[0-9a-f]{20})-[1-9][0-9]{0,4}\.(?:webp|jpg|png)", RegexOptions.CultureInvariant)]
    private static partial Regex MediaHash();
}
