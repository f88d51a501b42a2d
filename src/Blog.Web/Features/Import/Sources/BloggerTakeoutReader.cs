using System.Xml;
using System.Xml.Linq;
using Blog.Web.Features.Posts;

namespace Blog.Web.Features.Import.Sources;

/// <summary>
/// Blogger's current format, the <c>feed.atom</c> of a Google Takeout archive: entries typed by <c>blogger:type</c>
/// (POST, PAGE, COMMENT), with <c>blogger:status</c>, <c>blogger:parent</c> (a comment's post),
/// <c>blogger:inReplyTo</c> (the comment it answers), <c>blogger:filename</c> (the post's old path),
/// <c>blogger:trashed</c> and <c>blogger:metaDescription</c>.
/// </summary>
internal static class BloggerTakeoutReader
{
    public const string Namespace = "http://schemas.google.com/blogger/2018";
    private static readonly XNamespace Atom = AtomEntries.Atom;
    private static readonly XNamespace Blogger = Namespace;

    public static IEnumerable<ImportedItem> Read(XmlReader xml, ImportReport report) =>
        AtomEntries.Feed(xml, _ => { }, (entry, line, blog) => Entry(entry, line, BloggerIds.BlogId(blog.SourceId), report));

    private static ImportedItem? Entry(XElement entry, int line, string? blogId, ImportReport report)
    {
        var type = SafeXml.Text(entry.Element(Blogger + "type"));
        var id = SafeXml.Text(entry.Element(Atom + "id"));
        var kind = type switch
        {
            "POST" => ImportKinds.Posts,
            "PAGE" => ImportKinds.Pages,
            "COMMENT" => ImportKinds.Comments,
            _ => null,
        };
        if (kind is null)
        {
            report.Found(ImportKinds.Other);
            report.Skipped(ImportKinds.Other, "an entry of no known kind", line,
                $"An entry of type '{type}' ({id}) is not blog content: skipped.");
            return null;
        }
        if (id.Length == 0)
        {
            report.Found(kind);
            report.Skipped(kind, "broken entry", line, $"A {type.ToLowerInvariant()} entry without an id: skipped.");
            return null;
        }
        return type == "COMMENT" ? Comment(entry, line, id, blogId, report) : Post(entry, line, id, type, report);
    }

    private static ImportedPost Post(XElement entry, int line, string id, string type, ImportReport report)
    {
        var filename = SafeXml.Text(entry.Element(Blogger + "filename"));
        var status = SafeXml.Text(entry.Element(Blogger + "status"));
        var postStatus = status switch
        {
            "LIVE" => ImportedPostStatus.Published,
            "DRAFT" => ImportedPostStatus.Draft,
            "SCHEDULED" => ImportedPostStatus.Scheduled,
            "SOFT_TRASHED" or "TRASHED" or "DELETED" => ImportedPostStatus.Trashed,
            _ => ImportedPostStatus.Draft,
        };
        if (postStatus == ImportedPostStatus.Draft && status is not ("DRAFT" or ""))
        {
            report.Note(line, $"The {type.ToLowerInvariant()} {id} has the status '{status}', unknown here: it is kept as a draft.");
        }
        if (InTrash(entry))
        {
            postStatus = ImportedPostStatus.Trashed;
        }
        var (html, beforeMore) = AtomEntries.SplitMore(AtomEntries.ContentHtml(entry.Element(Atom + "content")));
        var description = SafeXml.Text(entry.Element(Blogger + "metaDescription"));
        return new ImportedPost
        {
            SourceId = id,
            Line = line,
            Kind = type == "PAGE" ? PostKind.Page : PostKind.Post,
            Title = SafeXml.Text(entry.Element(Atom + "title")),
            Slug = AtomEntries.SlugFromAddress(filename),
            Html = html,
            HtmlBeforeMore = beforeMore,
            Description = description.Length > 0 ? description : null,
            Status = postStatus,
            PublishedAt = AtomEntries.Date(entry, "published"),
            UpdatedAt = AtomEntries.Date(entry, "updated"),
            Labels = entry.Elements(Atom + "category")
                .Select(c => ((string?)c.Attribute("term"))?.Trim() ?? "")
                .Where(t => t.Length > 0)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList(),
            OldAddresses = filename.Length > 0 ? [filename] : [],
            AuthorName = AtomEntries.AuthorName(entry),
        };
    }

    private static ImportedComment? Comment(XElement entry, int line, string id, string? blogId, ImportReport report)
    {
        var postId = BloggerIds.Reference(blogId, SafeXml.Text(entry.Element(Blogger + "parent")));
        if (postId is null)
        {
            report.Found(ImportKinds.Comments);
            report.Skipped(ImportKinds.Comments, "names no post", line, $"The comment {id} names no post it belongs to: skipped.");
            return null;
        }
        var status = SafeXml.Text(entry.Element(Blogger + "status"));
        var commentStatus = status switch
        {
            "LIVE" => ImportedCommentStatus.Approved,
            "SPAM_COMMENT" or "SPAM" => ImportedCommentStatus.Spam,
            "SOFT_TRASHED" or "TRASHED" or "DELETED" => ImportedCommentStatus.Trashed,
            _ => ImportedCommentStatus.Held,
        };
        if (InTrash(entry))
        {
            commentStatus = ImportedCommentStatus.Trashed;
        }
        var anonymous = SafeXml.Text(entry.Element(Atom + "author")?.Element(Blogger + "type")) == "ANONYMOUS";
        return new ImportedComment
        {
            SourceId = id,
            Line = line,
            PostSourceId = postId,
            ParentSourceId = BloggerIds.Reference(blogId, SafeXml.Text(entry.Element(Blogger + "inReplyTo"))),
            AuthorName = anonymous && AtomEntries.AuthorName(entry).Length == 0 ? "Anonymous" : AtomEntries.AuthorName(entry),
            AuthorUrl = AtomEntries.AuthorUrl(entry),
            AuthorEmail = AtomEntries.AuthorEmail(entry),
            Anonymous = anonymous,
            Html = AtomEntries.ContentHtml(entry.Element(Atom + "content")),
            PublishedAt = AtomEntries.Date(entry, "published"),
            Status = commentStatus,
        };
    }

    /// <summary><c>blogger:trashed</c> holds when the item went to the trash; empty (or absent) when it did not.</summary>
    private static bool InTrash(XElement entry) => SafeXml.Text(entry.Element(Blogger + "trashed")) is { Length: > 0 } trashed && trashed != "false";
}
