using System.Xml;
using System.Xml.Linq;
using Blog.Web.Features.Posts;

namespace Blog.Web.Features.Import.Sources;

/// <summary>
/// Blogger's classic export: an Atom feed whose entries are typed by a <c>kind#…</c> category (post, page, comment,
/// settings, template), with labels as categories, drafts in <c>app:control</c>, comments tied to their post by
/// <c>thr:in-reply-to</c> and to the comment they answer by <c>link rel="related"</c>.
/// </summary>
internal static class BloggerClassicReader
{
    private const string KindScheme = "http://schemas.google.com/g/2005#kind";
    private const string KindPrefix = "http://schemas.google.com/blogger/2008/kind#";
    private const string LabelScheme = "http://www.blogger.com/atom/ns#";
    private static readonly XNamespace Atom = AtomEntries.Atom;
    private static readonly XNamespace App = SafeXml.AppNamespace;
    private static readonly XNamespace Thread = "http://purl.org/syndication/thread/1.0";

    public static IEnumerable<ImportedItem> Read(XmlReader xml, ImportReport report)
    {
        var appDeclared = false;
        var appNoted = false;
        return AtomEntries.Feed(xml, root => appDeclared = DeclaresApp(root), (entry, line, blog) =>
        {
            if (!appDeclared && !appNoted && UsesUndeclaredApp(entry))
            {
                appNoted = true;
                report.Note(line, "The export uses the app: prefix without declaring it (a known defect of some Blogger exports); it was read as Atom Publishing (drafts).");
            }
            return Entry(entry, line, BloggerIds.BlogId(blog.SourceId), report);
        });
    }

    private static ImportedItem? Entry(XElement entry, int line, string? blogId, ImportReport report)
    {
        var kind = entry.Elements(Atom + "category")
            .Where(c => (string?)c.Attribute("scheme") == KindScheme)
            .Select(c => ((string?)c.Attribute("term"))?.Trim())
            .FirstOrDefault(t => t is not null && t.StartsWith(KindPrefix, StringComparison.Ordinal))?[KindPrefix.Length..];
        var id = SafeXml.Text(entry.Element(Atom + "id"));
        switch (kind)
        {
            case "post":
            case "page":
                var countAs = kind == "post" ? ImportKinds.Posts : ImportKinds.Pages;
                return BloggerIds.IsItemId(id) ? Post(entry, line, id, kind) : Broken(report, countAs, line, kind, id);
            case "comment":
                return BloggerIds.IsItemId(id) ? Comment(entry, line, id, blogId, report) : Broken(report, ImportKinds.Comments, line, kind, id);
            case "settings":
                report.Found(ImportKinds.Other);
                report.Skipped(ImportKinds.Other, "Blogger settings");
                return null;
            case "template":
                report.Found(ImportKinds.Other);
                report.Skipped(ImportKinds.Other, "Blogger template");
                return null;
            default:
                report.Found(ImportKinds.Other);
                report.Skipped(ImportKinds.Other, "an entry of no known kind", line,
                    $"An entry of kind '{kind ?? "none"}' ({id}) is not blog content: skipped.");
                return null;
        }
    }

    private static ImportedPost Post(XElement entry, int line, string id, string kind)
    {
        var alternate = AtomEntries.Link(entry, "alternate");
        var draft = SafeXml.Text(entry.Element(App + "control")?.Element(App + "draft")) == "yes";
        var (html, beforeMore) = AtomEntries.SplitMore(AtomEntries.ContentHtml(entry.Element(Atom + "content")));
        return new ImportedPost
        {
            SourceId = id,
            Line = line,
            Kind = kind == "page" ? PostKind.Page : PostKind.Post,
            Title = SafeXml.Text(entry.Element(Atom + "title")),
            Slug = AtomEntries.SlugFromAddress(alternate),
            Html = html,
            HtmlBeforeMore = beforeMore,
            Status = draft ? ImportedPostStatus.Draft : ImportedPostStatus.Published,
            PublishedAt = AtomEntries.Date(entry, "published"),
            UpdatedAt = AtomEntries.Date(entry, "updated"),
            Labels = entry.Elements(Atom + "category")
                .Where(c => (string?)c.Attribute("scheme") == LabelScheme)
                .Select(c => ((string?)c.Attribute("term"))?.Trim() ?? "")
                .Where(t => t.Length > 0)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList(),
            OldAddresses = alternate is null ? [] : [alternate],
            AuthorName = AtomEntries.AuthorName(entry),
        };
    }

    private static ImportedComment? Comment(XElement entry, int line, string id, string? blogId, ImportReport report)
    {
        var postId = ((string?)entry.Element(Thread + "in-reply-to")?.Attribute("ref"))?.Trim();
        if (string.IsNullOrEmpty(postId))
        {
            report.Found(ImportKinds.Comments);
            report.Skipped(ImportKinds.Comments, "names no post", line, $"The comment {id} names no post it belongs to: skipped.");
            return null;
        }
        var name = AtomEntries.AuthorName(entry);
        var url = AtomEntries.AuthorUrl(entry);
        return new ImportedComment
        {
            SourceId = id,
            Line = line,
            PostSourceId = postId,
            ParentSourceId = BloggerIds.FromCommentFeedLink(blogId, AtomEntries.Link(entry, "related")),
            AuthorName = name,
            AuthorUrl = url,
            AuthorEmail = AtomEntries.AuthorEmail(entry),
            Anonymous = url is null && (name.Length == 0 || name == "Anonymous"),
            Html = AtomEntries.ContentHtml(entry.Element(Atom + "content")),
            PublishedAt = AtomEntries.Date(entry, "published"),
            Status = ImportedCommentStatus.Approved,
        };
    }

    /// <summary>An entry Blogger could not have written (its id is not one of Blogger's): noted with its line.</summary>
    private static ImportedItem? Broken(ImportReport report, string countAs, int line, string kind, string id)
    {
        report.Found(countAs);
        report.Skipped(countAs, "broken entry", line,
            $"A {kind} entry whose id ('{id}') is not a Blogger id: the entry is damaged and was skipped.");
        return null;
    }

    private static bool DeclaresApp(XElement element) =>
        element.Attributes().Any(a => a.IsNamespaceDeclaration && a.Value == SafeXml.AppNamespace);

    /// <summary>True when the entry has app: elements and neither they, the entry nor the feed declare the prefix.</summary>
    private static bool UsesUndeclaredApp(XElement entry) =>
        entry.Descendants().Any(e => e.Name.Namespace == App && !e.AncestorsAndSelf().Any(DeclaresApp));
}
