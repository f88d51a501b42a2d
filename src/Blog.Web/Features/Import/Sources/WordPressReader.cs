using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Blog.Web.Features.Posts;

namespace Blog.Web.Features.Import.Sources;

/// <summary>
/// WordPress eXtended RSS (WXR) 1.0 to 1.2, under either namespace WordPress has written
/// (<c>http://wordpress.org/export/1.x/</c> and <c>https://…</c>): the channel's categories and tags, then each item
/// (post, page, attachment, menu item…) with its comments nested inside it.
/// </summary>
internal static partial class WordPressReader
{
    private static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";
    private static readonly XNamespace DublinCore = "http://purl.org/dc/elements/1.1/";

    public static bool IsExportNamespace(string ns) => ExportNamespace().IsMatch(ns);

    public static IEnumerable<ImportedItem> Read(XmlReader xml, ImportReport report)
    {
        xml.MoveToContent();
        var wp = DeclaredExportNamespace(xml);
        XNamespace excerpt = wp.NamespaceName + "excerpt/";
        if (!EnterChannel(xml))
        {
            throw new ImportRefusedException("The WordPress export has no <channel>: there is nothing in it to import.");
        }
        var channel = new Channel();
        ImportedBlog? blog = null;
        var depth = xml.Depth + 1;
        xml.Read();
        while (SafeXml.NextElement(xml, depth))
        {
            var line = SafeXml.Line(xml);
            var element = SafeXml.ReadElement(xml);
            if (element.Name.Namespace == XNamespace.None && element.Name.LocalName is "title" or "link")
            {
                channel.Set(element.Name.LocalName, SafeXml.Text(element));
                continue;
            }
            if (element.Name.Namespace == wp && element.Name.LocalName is "base_site_url" or "base_blog_url")
            {
                channel.Set(element.Name.LocalName, SafeXml.Text(element));
                continue;
            }
            if (element.Name == wp + "author")
            {
                channel.AddAuthor(SafeXml.Text(element.Element(wp + "author_login")), SafeXml.Text(element.Element(wp + "author_display_name")));
                continue;
            }
            if (element.Name.LocalName is not ("category" or "tag" or "term" or "item"))
            {
                continue;
            }
            if (blog is null)
            {
                blog = channel.Blog();
                yield return blog;
            }
            var items = element.Name == wp + "category" || element.Name == wp + "tag" || element.Name == wp + "term"
                ? Term(element, wp, line, report)
                : element.Name.LocalName == "item" && element.Name.Namespace == XNamespace.None
                    ? Item(element, wp, excerpt, line, channel, report)
                    : [];
            foreach (var item in items)
            {
                yield return item;
            }
        }
        if (blog is null)
        {
            yield return channel.Blog();
        }
    }

    private static XNamespace DeclaredExportNamespace(XmlReader xml)
    {
        if (xml.MoveToFirstAttribute())
        {
            do
            {
                if (xml.Prefix == "xmlns" && IsExportNamespace(xml.Value))
                {
                    var ns = xml.Value;
                    xml.MoveToElement();
                    return ns;
                }
            }
            while (xml.MoveToNextAttribute());
            xml.MoveToElement();
        }
        throw new ImportRefusedException("The file declares no wordpress.org/export namespace: it is not a WordPress export.");
    }

    private static bool EnterChannel(XmlReader xml)
    {
        if (xml.IsEmptyElement)
        {
            return false;
        }
        var depth = xml.Depth + 1;
        xml.Read();
        while (SafeXml.NextElement(xml, depth))
        {
            if (xml.LocalName == "channel" && xml.NamespaceURI.Length == 0)
            {
                return !xml.IsEmptyElement;
            }
            xml.Skip();
        }
        return false;
    }

    /// <summary>A category or tag the channel declares; other taxonomies (menus, formats) are not labels.</summary>
    private static IEnumerable<ImportedItem> Term(XElement term, XNamespace wp, int line, ImportReport report)
    {
        var (slug, name, isTag) = term.Name.LocalName switch
        {
            "category" => (Text(term, wp + "category_nicename"), Text(term, wp + "cat_name"), false),
            "tag" => (Text(term, wp + "tag_slug"), Text(term, wp + "tag_name"), true),
            _ => (Text(term, wp + "term_slug"), Text(term, wp + "term_name"), Text(term, wp + "term_taxonomy") == "post_tag"),
        };
        if (term.Name.LocalName == "term" && Text(term, wp + "term_taxonomy") is not ("category" or "post_tag"))
        {
            report.Found(ImportKinds.Other);
            report.Skipped(ImportKinds.Other, "WordPress menus and other terms");
            return [];
        }
        if (name.Length == 0)
        {
            report.Found(ImportKinds.Labels);
            report.Skipped(ImportKinds.Labels, "broken entry", line, $"A {term.Name.LocalName} without a name ('{slug}'): skipped.");
            return [];
        }
        slug = Decoded(slug.Length > 0 ? slug : name);
        return [new ImportedLabel { SourceId = (isTag ? "tag-" : "category-") + slug, Line = line, Name = name, Slug = slug, IsTag = isTag }];
    }

    private static IEnumerable<ImportedItem> Item(XElement item, XNamespace wp, XNamespace excerpt, int line, Channel channel, ImportReport report)
    {
        var type = Text(item, wp + "post_type");
        var id = Text(item, wp + "post_id");
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            var kind = type switch { "post" => ImportKinds.Posts, "page" => ImportKinds.Pages, _ => ImportKinds.Other };
            report.Found(kind);
            report.Skipped(kind, "broken entry", line, $"An item without a post id ('{Text(item, XName.Get("title"))}'): skipped.");
            return [];
        }
        var comments = item.Elements(wp + "comment").ToList();
        switch (type)
        {
            case "post":
            case "page":
                return [Post(item, wp, excerpt, line, id, type, channel), .. comments.Select(c => Comment(c, wp, line, id))];
            case "attachment":
                SkipComments(comments, "on an attachment", report);
                return [Attachment(item, wp, line, id)];
            default:
                report.Found(ImportKinds.Other);
                report.Skipped(ImportKinds.Other, type == "nav_menu_item" ? "WordPress menu items" : $"WordPress '{type}' items");
                SkipComments(comments, "on something that is not a post", report);
                return [];
        }
    }

    private static void SkipComments(List<XElement> comments, string reason, ImportReport report)
    {
        foreach (var _ in comments)
        {
            report.Found(ImportKinds.Comments);
            report.Skipped(ImportKinds.Comments, reason);
        }
    }

    private static ImportedPost Post(XElement item, XNamespace wp, XNamespace excerpt, int line, string id, string type, Channel channel)
    {
        var password = Text(item, wp + "post_password");
        var status = Text(item, wp + "status") switch
        {
            "publish" => ImportedPostStatus.Published,
            "future" => ImportedPostStatus.Scheduled,
            "pending" => ImportedPostStatus.Pending,
            "private" => ImportedPostStatus.Private,
            "trash" => ImportedPostStatus.Trashed,
            _ => ImportedPostStatus.Draft,
        };
        if (password.Length > 0 && status != ImportedPostStatus.Trashed)
        {
            status = ImportedPostStatus.Private;
        }
        var (html, beforeMore) = WordPressContent.Post(item.Element(Content + "encoded")?.Value ?? "");
        var link = AtomEntries.WebAddress(Text(item, XName.Get("link")));
        var numbered = type == "page" ? "/?page_id=" + id : "/?p=" + id;
        var description = Text(item, excerpt + "encoded");
        return new ImportedPost
        {
            SourceId = id,
            Line = line,
            Kind = type == "page" ? PostKind.Page : PostKind.Post,
            Title = Text(item, XName.Get("title")),
            Slug = Decoded(Text(item, wp + "post_name")),
            Html = html,
            HtmlBeforeMore = beforeMore,
            Description = description.Length > 0 ? description : null,
            Status = status,
            PasswordProtected = password.Length > 0,
            PublishedAt = Date(Text(item, wp + "post_date_gmt"), Text(item, XName.Get("pubDate")), Text(item, wp + "post_date")),
            UpdatedAt = Date(Text(item, wp + "post_modified_gmt"), "", Text(item, wp + "post_modified")),
            Labels = item.Elements("category")
                .Where(c => (string?)c.Attribute("domain") is null or "category" or "post_tag")
                .Select(c => c.Value.Trim())
                .Where(name => name.Length > 0)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList(),
            OldAddresses = link is null ? [numbered] : [link, numbered],
            AuthorName = channel.AuthorName(Text(item, DublinCore + "creator")),
            AllowComments = Text(item, wp + "comment_status") != "closed",
        };
    }

    private static ImportedComment Comment(XElement comment, XNamespace wp, int itemLine, string postId)
    {
        var parent = Text(comment, wp + "comment_parent");
        var email = Text(comment, wp + "comment_author_email");
        return new ImportedComment
        {
            SourceId = "comment-" + Text(comment, wp + "comment_id"),
            // Comments sit inside their item; the item's line is where to look.
            Line = itemLine,
            PostSourceId = postId,
            ParentSourceId = parent.Length == 0 || parent == "0" ? null : "comment-" + parent,
            AuthorName = Text(comment, wp + "comment_author"),
            AuthorUrl = AtomEntries.WebAddress(Text(comment, wp + "comment_author_url")),
            AuthorEmail = email.Length > 0 ? email : null,
            Anonymous = Text(comment, wp + "comment_user_id") is "" or "0",
            Html = WordPressContent.Comment(comment.Element(wp + "comment_content")?.Value ?? ""),
            PublishedAt = Date(Text(comment, wp + "comment_date_gmt"), "", Text(comment, wp + "comment_date")),
            Status = Text(comment, wp + "comment_approved") switch
            {
                "1" => ImportedCommentStatus.Approved,
                "spam" => ImportedCommentStatus.Spam,
                "trash" or "post-trashed" => ImportedCommentStatus.Trashed,
                _ => ImportedCommentStatus.Held,
            },
            CommentKind = Text(comment, wp + "comment_type") switch
            {
                "pingback" => ImportedCommentKind.Pingback,
                "trackback" => ImportedCommentKind.Trackback,
                _ => ImportedCommentKind.Comment,
            },
        };
    }

    private static ImportedAttachment Attachment(XElement item, XNamespace wp, int line, string id)
    {
        var url = Text(item, wp + "attachment_url");
        var parent = Text(item, wp + "post_parent");
        var alt = item.Elements(wp + "postmeta")
            .Where(m => Text(m, wp + "meta_key") == "_wp_attachment_image_alt")
            .Select(m => Text(m, wp + "meta_value"))
            .FirstOrDefault() ?? "";
        return new ImportedAttachment
        {
            SourceId = id,
            Line = line,
            Url = url.Length > 0 ? url : Text(item, XName.Get("guid")),
            ParentSourceId = parent.Length == 0 || parent == "0" ? null : parent,
            Title = Text(item, XName.Get("title")),
            AltText = alt,
        };
    }

    /// <summary>
    /// A WordPress date: the GMT one when it is set (drafts carry 0000-00-00), else the RSS date with its offset,
    /// else the local one read as UTC.
    /// </summary>
    private static DateTimeOffset? Date(string gmt, string rss, string local)
    {
        const DateTimeStyles Utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (DateTimeOffset.TryParseExact(gmt, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, Utc, out var date))
        {
            return date;
        }
        if (rss.Length > 0 && DateTimeOffset.TryParse(rss, CultureInfo.InvariantCulture, Utc, out date))
        {
            return date;
        }
        return DateTimeOffset.TryParseExact(local, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, Utc, out date) ? date : null;
    }

    private static string Text(XElement parent, XName name) => SafeXml.Text(parent.Element(name));

    /// <summary>WordPress stores non-ASCII slugs percent-encoded.</summary>
    private static string Decoded(string slug)
    {
        try
        {
            return Uri.UnescapeDataString(slug);
        }
        catch (UriFormatException)
        {
            return slug;
        }
    }

    [GeneratedRegex(@"^https?://wordpress\.org/export/1\.[0-2]/$")]
    private static partial Regex ExportNamespace();

    /// <summary>What the channel says about the blog before its first item.</summary>
    private sealed class Channel
    {
        private readonly Dictionary<string, string> _fields = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _authors = new(StringComparer.Ordinal);

        public void Set(string name, string value) => _fields.TryAdd(name, value);

        public void AddAuthor(string login, string displayName)
        {
            if (login.Length > 0 && displayName.Length > 0)
            {
                _authors[login] = displayName;
            }
        }

        public string? AuthorName(string login) => login.Length == 0 ? null : _authors.GetValueOrDefault(login, login);

        public ImportedBlog Blog()
        {
            var title = _fields.GetValueOrDefault("title", "");
            var link = AtomEntries.WebAddress(_fields.GetValueOrDefault("link"));
            var blogUrl = AtomEntries.WebAddress(_fields.GetValueOrDefault("base_blog_url"));
            var address = blogUrl ?? link;
            var hosts = new List<string>();
            if (link is not null && address is not null && new Uri(link).Host != new Uri(address).Host)
            {
                hosts.Add(new Uri(link).Host);
            }
            // A WordPress.com blog's pictures live on its own files host.
            if (address is not null && new Uri(address).Host is var host && host.EndsWith(".wordpress.com", StringComparison.OrdinalIgnoreCase))
            {
                hosts.Add(host[..^".wordpress.com".Length] + ".files.wordpress.com");
            }
            return new ImportedBlog
            {
                SourceId = address ?? "blog",
                SourceKey = address is null ? AtomEntries.FileKey(title, null) : "wordpress:" + address.TrimEnd('/'),
                Title = title,
                Address = address,
                OtherHosts = hosts,
            };
        }
    }
}
