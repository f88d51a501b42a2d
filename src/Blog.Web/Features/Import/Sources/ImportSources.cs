using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace Blog.Web.Features.Import.Sources;

/// <summary>
/// Opens an export for import: a Blogger export (classic, or a Takeout <c>feed.atom</c>), a WordPress WXR file, or a
/// zip holding one of them with its pictures. What a file is comes from what it holds, never from its name.
/// </summary>
public static partial class ImportSources
{
    /// <summary>Entries of an archive that sniffing reads the start of, looking for the export.</summary>
    private const int MaxCandidates = 50;

    /// <summary>
    /// Opens <paramref name="path"/>. <paramref name="fileName"/> is the name to report (the path's own name when
    /// null); <paramref name="uploadsFolder"/> a WordPress uploads folder given alongside the export. Throws
    /// <see cref="ImportRefusedException"/>, saying why, for anything that is not an export this blog can read.
    /// </summary>
    public static IImportSource Open(string path, string? fileName, string? uploadsFolder)
    {
        ArgumentNullException.ThrowIfNull(path);
        fileName = string.IsNullOrWhiteSpace(fileName) ? Path.GetFileName(path) : fileName;
        if (!File.Exists(path))
        {
            throw new ImportRefusedException($"There is no file at {path}.");
        }
        if (uploadsFolder is not null && !Directory.Exists(uploadsFolder))
        {
            throw new ImportRefusedException($"There is no uploads folder at {uploadsFolder}.");
        }
        var length = new FileInfo(path).Length;
        if (length == 0)
        {
            throw new ImportRefusedException($"{fileName} is empty.");
        }
        if (LooksLikeZip(path))
        {
            return SafeZip.OpenExport(path, fileName, uploadsFolder);
        }
        var format = Detect(() => File.OpenRead(path), fileName);
        var pictures = uploadsFolder is null ? null : new UploadsFolderPictures(uploadsFolder);
        return new ExportSource(format, fileName, length, () => File.OpenRead(path), pictures, archive: null);
    }

    private static bool LooksLikeZip(string path)
    {
        Span<byte> start = stackalloc byte[4];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(start, 4, throwOnEndOfStream: false) == 4
            && start[0] == (byte)'P' && start[1] == (byte)'K' && start[2] is 3 or 5 && start[3] is 4 or 6;
    }

    /// <summary>
    /// Which export <paramref name="feed"/> is, from its root element and namespaces (and, for Atom, the blog id in
    /// its header). Reads only the start of the stream.
    /// </summary>
    internal static ExportFormat Detect(Func<Stream> openFeed, string fileName)
    {
        if (LooksLikeHtml(openFeed))
        {
            throw new ImportRefusedException(
                $"{fileName} is a web page (HTML), not an export. Export the blog from Blogger (Settings, Back up content, or Google Takeout) or WordPress (Tools, Export) and upload that file.");
        }
        try
        {
            using var feed = openFeed();
            using var xml = SafeXml.CreateReader(feed);
            xml.MoveToContent();
            if (xml.NodeType != XmlNodeType.Element)
            {
                throw new ImportRefusedException($"{fileName} holds no XML element: it is not an export.");
            }
            if (xml.LocalName == "feed" && xml.NamespaceURI == SafeXml.AtomNamespace)
            {
                return DetectBlogger(xml, fileName);
            }
            if (xml.LocalName == "rss" && xml.NamespaceURI.Length == 0)
            {
                if (DeclaresNamespace(xml, WordPressReader.IsExportNamespace))
                {
                    return ExportFormat.WordPress;
                }
                throw new ImportRefusedException($"{fileName} is an RSS feed, not a WordPress export (it has no wordpress.org/export namespace).");
            }
            if (xml.LocalName.Equals("html", StringComparison.OrdinalIgnoreCase))
            {
                throw new ImportRefusedException($"{fileName} is a web page (HTML), not an export.");
            }
            throw new ImportRefusedException(
                $"{fileName} is XML whose root element is <{xml.Name}>: neither a Blogger export (<feed>) nor a WordPress export (<rss>).");
        }
        catch (XmlException error)
        {
            var refused = SafeXml.Refused(error);
            throw new ImportRefusedException($"{fileName} is not a Blogger or WordPress export: {refused.Message}", error);
        }
        catch (DecoderFallbackException error)
        {
            throw new ImportRefusedException($"{fileName} is not a Blogger or WordPress export: its text is not in the encoding it declares.", error);
        }
    }

    private static ExportFormat DetectBlogger(XmlReader xml, string fileName)
    {
        if (DeclaresNamespace(xml, ns => ns == BloggerTakeoutReader.Namespace))
        {
            return ExportFormat.BloggerTakeout;
        }
        // A classic export names its blog in the feed's id (tag:blogger.com,1999:blog-N.archive) before any entry.
        var depth = xml.Depth + 1;
        xml.Read();
        while (SafeXml.NextElement(xml, depth))
        {
            if (xml.NamespaceURI == SafeXml.AtomNamespace && xml.LocalName is "id" or "generator")
            {
                var text = xml.ReadElementContentAsString().Trim();
                if (BloggerIds.BlogId(text) is not null || text == "Blogger")
                {
                    return ExportFormat.BloggerClassic;
                }
                continue;
            }
            if (xml.LocalName == "entry")
            {
                break;
            }
            xml.Skip();
        }
        throw new ImportRefusedException($"{fileName} is an Atom feed, but not a Blogger export (its header names no Blogger blog).");
    }

    private static bool DeclaresNamespace(XmlReader xml, Func<string, bool> wanted)
    {
        var found = false;
        if (xml.MoveToFirstAttribute())
        {
            do
            {
                found |= xml.Prefix == "xmlns" && wanted(xml.Value);
            }
            while (xml.MoveToNextAttribute());
            xml.MoveToElement();
        }
        return found;
    }

    private static bool LooksLikeHtml(Func<Stream> openFeed)
    {
        var start = new byte[1024];
        int read;
        using (var stream = openFeed())
        {
            read = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        }
        var text = Encoding.UTF8.GetString(start, 0, read);
        return HtmlStart().IsMatch(text);
    }

    [GeneratedRegex(@"^\uFEFF?\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HtmlStart();
}
