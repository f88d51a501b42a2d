using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Blog.Web.Features.Import.Sources;

/// <summary>What both Blogger formats write the same way: Atom dates, content, authors, links and the feed header.</summary>
internal static partial class AtomEntries
{
    public static readonly XNamespace Atom = SafeXml.AtomNamespace;

    public static DateTimeOffset? Date(XElement entry, string name) => ParseDate(SafeXml.Text(entry.Element(Atom + name)));

    public static DateTimeOffset? ParseDate(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;

    /// <summary>An Atom content element as HTML: html content is HTML already, text is encoded, xhtml is serialised.</summary>
    public static string ContentHtml(XElement? content)
    {
        if (content is null)
        {
            return "";
        }
        var type = (string?)content.Attribute("type") ?? "text";
        return type switch
        {
            "html" => content.Value,
            "xhtml" => string.Concat(content.Elements().SelectMany(e => e.Nodes()).Select(n => n.ToString(SaveOptions.DisableFormatting))),
            _ => WebUtility.HtmlEncode(content.Value.Trim()).ReplaceLineEndings("<br />"),
        };
    }

    public static string? Link(XElement element, string rel) =>
        element.Elements(Atom + "link").FirstOrDefault(l => (string?)l.Attribute("rel") == rel) is { } link
            ? ((string?)link.Attribute("href"))?.Trim()
            : null;

    public static string AuthorName(XElement entry) => SafeXml.Text(entry.Element(Atom + "author")?.Element(Atom + "name"));

    /// <summary>The author's link, when it is a web address (Blogger writes profile pages there).</summary>
    public static string? AuthorUrl(XElement entry) => WebAddress(SafeXml.Text(entry.Element(Atom + "author")?.Element(Atom + "uri")));

    /// <summary>The author's email, unless it is Blogger's placeholder that hides it.</summary>
    public static string? AuthorEmail(XElement entry)
    {
        var email = SafeXml.Text(entry.Element(Atom + "author")?.Element(Atom + "email"));
        return email.Length == 0 || email.Equals("noreply@blogger.com", StringComparison.OrdinalIgnoreCase) ? null : email;
    }

    public static string? WebAddress(string? text) =>
        Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.AbsoluteUri : null;

    /// <summary>
    /// Splits Blogger's "jump break" (<c>&lt;a name="more"&gt;&lt;/a&gt;</c>, or <c>&lt;!--more--&gt;</c>) out of a body:
    /// the body without it, and the part before it when there is one.
    /// </summary>
    public static (string Html, string? BeforeMore) SplitMore(string html)
    {
        var match = MoreMarker().Match(html);
        if (!match.Success)
        {
            return (html, null);
        }
        return (html.Remove(match.Index, match.Length), html[..match.Index]);
    }

    /// <summary>The slug an old address used: its last path segment without <c>.html</c>.</summary>
    public static string SlugFromAddress(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return "";
        }
        var path = Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri.AbsolutePath : address.Split('?', '#')[0];
        var last = path.TrimEnd('/').Split('/')[^1];
        if (last.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
        {
            last = last[..^5];
        }
        return Uri.UnescapeDataString(last);
    }

    /// <summary>The blog a feed's header describes; read before its first entry.</summary>
    public static ImportedBlog Blog(IReadOnlyList<XElement> header)
    {
        var id = header.Where(e => e.Name == Atom + "id").Select(SafeXml.Text).FirstOrDefault() ?? "";
        var title = header.Where(e => e.Name == Atom + "title").Select(SafeXml.Text).FirstOrDefault() ?? "";
        var links = header.Where(e => e.Name == Atom + "link").ToList();
        var address = links.Where(l => (string?)l.Attribute("rel") == "alternate")
            .Select(l => WebAddress((string?)l.Attribute("href"))).FirstOrDefault(a => a is not null);
        var hosts = links.Select(l => WebAddress((string?)l.Attribute("href")))
            .OfType<string>()
            .Select(a => new Uri(a).Host)
            .Where(h => !h.EndsWith("blogger.com", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(h => address is null || !h.Equals(new Uri(address).Host, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var blogId = BloggerIds.BlogId(id);
        return new ImportedBlog
        {
            SourceId = id.Length > 0 ? id : "blog",
            SourceKey = blogId is not null ? "blogger:" + blogId : FileKey(title, address),
            Title = title,
            Address = address,
            OtherHosts = hosts,
        };
    }

    /// <summary>A key for an export that names no blog id: the same title and address give the same key.</summary>
    public static string FileKey(string title, string? address)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(title + "\n" + address));
        return "file:" + Convert.ToHexStringLower(hash)[..32];
    }

    /// <summary>
    /// Streams a Blogger feed: the blog its header describes first, then what <paramref name="readEntry"/> makes of
    /// each entry (null for one it skips). <paramref name="readRoot"/> sees the feed element's namespace declarations.
    /// </summary>
    public static IEnumerable<ImportedItem> Feed(XmlReader xml, Action<XElement> readRoot, Func<XElement, int, ImportedBlog, ImportedItem?> readEntry)
    {
        var header = new List<XElement>();
        ImportedBlog? blog = null;
        var root = true;
        foreach (var (element, line) in Elements(xml))
        {
            if (root)
            {
                root = false;
                readRoot(element);
                continue;
            }
            if (element.Name != Atom + "entry")
            {
                if (blog is null)
                {
                    header.Add(element);
                }
                continue;
            }
            if (blog is null)
            {
                blog = Blog(header);
                yield return blog;
            }
            if (readEntry(element, line, blog) is { } item)
            {
                yield return item;
            }
        }
        if (blog is null)
        {
            yield return Blog(header);
        }
    }

    /// <summary>
    /// Streams a feed: first its root element (name and attributes only), then each element inside it, read whole,
    /// with the line it starts on.
    /// </summary>
    private static IEnumerable<(XElement Element, int Line)> Elements(XmlReader xml)
    {
        xml.MoveToContent();
        var root = new XElement(XName.Get(xml.LocalName, xml.NamespaceURI));
        if (xml.MoveToFirstAttribute())
        {
            do
            {
                if (xml.Prefix == "xmlns")
                {
                    root.SetAttributeValue(XNamespace.Xmlns + xml.LocalName, xml.Value);
                }
            }
            while (xml.MoveToNextAttribute());
            xml.MoveToElement();
        }
        yield return (root, SafeXml.Line(xml));
        var depth = xml.Depth + 1;
        if (xml.IsEmptyElement)
        {
            yield break;
        }
        xml.Read();
        while (SafeXml.NextElement(xml, depth))
        {
            var line = SafeXml.Line(xml);
            yield return (SafeXml.ReadElement(xml), line);
        }
    }

    [GeneratedRegex(@"<a\s+name\s*=\s*[""']?more[""']?\s*>\s*</a>|<!--\s*more\b[^>]*-->", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex MoreMarker();
}
