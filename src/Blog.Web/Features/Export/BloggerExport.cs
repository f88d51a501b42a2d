using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using Blog.Web.Features.Posts;

namespace Blog.Web.Features.Export;

/// <summary>
/// The blog as Blogger's classic export writes one (an Atom feed whose entries are typed by a <c>kind#…</c> category),
/// so tools made for Blogger's files read it: posts and pages with their labels, drafts marked <c>app:draft</c>, and the
/// comments of each post right after it, a reply pointing at the comment it answers (<c>link rel="related"</c>).
/// Blogger's format has no comments waiting for approval: held comments are left out.
/// </summary>
public sealed class BloggerExport(ExportQueries queries)
{
    private const string Atom = "http://www.w3.org/2005/Atom";
    private const string App = "http://purl.org/atom/app#";
    private const string Thread = "http://purl.org/syndication/thread/1.0";
    private const string KindScheme = "http://schemas.google.com/g/2005#kind";
    private const string KindPrefix = "http://schemas.google.com/blogger/2008/kind#";
    private const string LabelScheme = "http://www.blogger.com/atom/ns#";

    /// <summary>
    /// Blogger numbers posts and comments in one series (<c>….post-N</c> for both); here they are two tables. A
    /// comment's number is its id plus this, far above any post id, so the two never meet and both read back.
    /// </summary>
    public const long CommentNumberOffset = 1_000_000_000_000_000;

    public async Task WriteAsync(XmlWriter xml, ExportSite site, CancellationToken ct)
    {
        var blogId = BlogNumber(site.Base);
        await xml.WriteStartDocumentAsync();
        await xml.WriteStartElementAsync(null, "feed", Atom);
        await xml.WriteAttributeStringAsync("xmlns", "app", null, App);
        await xml.WriteAttributeStringAsync("xmlns", "thr", null, Thread);
        await xml.WriteElementStringAsync(null, "id", Atom, $"tag:blogger.com,1999:blog-{blogId}.archive");
        await xml.WriteElementStringAsync(null, "updated", Atom, ExportXml.AtomTime(site.Now));
        await TextAsync(xml, "title", site.Title);
        await TextAsync(xml, "subtitle", site.Description);
        await LinkAsync(xml, "alternate", "text/html", site.Absolute("/"));
        await xml.WriteStartElementAsync(null, "generator", Atom);
        await xml.WriteStringAsync("Quire");
        await xml.WriteEndElementAsync();
        await foreach (var post in queries.PostsAsync(ct))
        {
            var entryId = $"tag:blogger.com,1999:blog-{blogId}.{(post.Kind == PostKind.Page ? "page" : "post")}-{post.Id}";
            await PostEntryAsync(xml, site, post, entryId);
            await foreach (var comment in queries.CommentsOfAsync(post.Id, includeHeld: false, ct))
            {
                await CommentEntryAsync(xml, site, blogId, post, entryId, comment);
            }
        }
        await xml.WriteEndElementAsync();
        await xml.WriteEndDocumentAsync();
        await xml.FlushAsync();
    }

    private static async Task PostEntryAsync(XmlWriter xml, ExportSite site, ExportPostRow post, string entryId)
    {
        await xml.WriteStartElementAsync(null, "entry", Atom);
        await xml.WriteElementStringAsync(null, "id", Atom, entryId);
        await xml.WriteElementStringAsync(null, "published", Atom, ExportXml.AtomTime(post.PublishedAt ?? post.UpdatedAt));
        await xml.WriteElementStringAsync(null, "updated", Atom, ExportXml.AtomTime(post.UpdatedAt));
        if (post.IsDraft)
        {
            await xml.WriteStartElementAsync("app", "control", App);
            await xml.WriteElementStringAsync("app", "draft", App, "yes");
            await xml.WriteEndElementAsync();
        }
        await CategoryAsync(xml, KindScheme, KindPrefix + post.Kind);
        foreach (var label in post.Labels)
        {
            await CategoryAsync(xml, LabelScheme, ExportXml.Clean(label));
        }
        await TextAsync(xml, "title", post.Title);
        await ContentAsync(xml, ExportXml.Body(post.BodyHtml, site.Base, wordPressLineBreaks: false));
        await LinkAsync(xml, "replies", "application/atom+xml", site.Absolute($"/feeds/{Number(post.Id)}/comments/default"));
        // Drafts too: Blogger's classic format carries a post's slug only in its address.
        await LinkAsync(xml, "alternate", "text/html", site.AddressOf(post), post.Title);
        await AuthorAsync(xml, post.AuthorName ?? PostListing.DeletedAuthor, null, null);
        await xml.WriteEndElementAsync();
    }

    private static async Task CommentEntryAsync(XmlWriter xml, ExportSite site, string blogId, ExportPostRow post, string postEntryId, ExportCommentRow comment)
    {
        var postAddress = site.AddressOf(post);
        var commentNumber = Number(CommentNumberOffset + comment.Id);
        await xml.WriteStartElementAsync(null, "entry", Atom);
        await xml.WriteElementStringAsync(null, "id", Atom, $"tag:blogger.com,1999:blog-{blogId}.post-{commentNumber}");
        await xml.WriteElementStringAsync(null, "published", Atom, ExportXml.AtomTime(comment.CreatedAt));
        await xml.WriteElementStringAsync(null, "updated", Atom, ExportXml.AtomTime(comment.CreatedAt));
        await CategoryAsync(xml, KindScheme, KindPrefix + "comment");
        await TextAsync(xml, "title", "");
        await ContentAsync(xml, ExportXml.Body(comment.BodyHtml, site.Base, wordPressLineBreaks: false));
        await LinkAsync(xml, "alternate", "text/html", $"{postAddress}#c{Number(comment.Id)}");
        if (comment.ParentId is { } parentId)
        {
            await LinkAsync(xml, "related", "application/atom+xml",
                site.Absolute($"/feeds/{Number(post.Id)}/comments/default/{Number(CommentNumberOffset + parentId)}"));
        }
        await AuthorAsync(xml, comment.AuthorName, comment.AuthorUrl, comment.AuthorEmail);
        await xml.WriteStartElementAsync("thr", "in-reply-to", Thread);
        await xml.WriteAttributeStringAsync(null, "href", null, postAddress);
        await xml.WriteAttributeStringAsync(null, "ref", null, postEntryId);
        await xml.WriteAttributeStringAsync(null, "source", null, site.Absolute($"/feeds/posts/default/{Number(post.Id)}"));
        await xml.WriteAttributeStringAsync(null, "type", null, "text/html");
        await xml.WriteEndElementAsync();
        await xml.WriteEndElementAsync();
    }

    /// <summary>
    /// Blogger's blog id: a number, the same in every export of this blog (so importing a newer export elsewhere
    /// updates what the older one brought instead of doubling it), taken from the blog's address.
    /// </summary>
    public static string BlogNumber(string siteBase)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(siteBase));
        return Number((long)(BitConverter.ToUInt64(hash, 0) % 1_000_000_000_000_000_000UL));
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static async Task TextAsync(XmlWriter xml, string element, string text)
    {
        await xml.WriteStartElementAsync(null, element, Atom);
        await xml.WriteAttributeStringAsync(null, "type", null, "text");
        await xml.WriteStringAsync(ExportXml.Clean(text));
        await xml.WriteEndElementAsync();
    }

    private static async Task ContentAsync(XmlWriter xml, string html)
    {
        await xml.WriteStartElementAsync(null, "content", Atom);
        await xml.WriteAttributeStringAsync(null, "type", null, "html");
        await xml.WriteStringAsync(html);
        await xml.WriteEndElementAsync();
    }

    private static async Task CategoryAsync(XmlWriter xml, string scheme, string term)
    {
        await xml.WriteStartElementAsync(null, "category", Atom);
        await xml.WriteAttributeStringAsync(null, "scheme", null, scheme);
        await xml.WriteAttributeStringAsync(null, "term", null, term);
        await xml.WriteEndElementAsync();
    }

    private static async Task LinkAsync(XmlWriter xml, string rel, string type, string href, string? title = null)
    {
        await xml.WriteStartElementAsync(null, "link", Atom);
        await xml.WriteAttributeStringAsync(null, "rel", null, rel);
        await xml.WriteAttributeStringAsync(null, "type", null, type);
        await xml.WriteAttributeStringAsync(null, "href", null, ExportXml.Clean(href));
        if (title is not null)
        {
            await xml.WriteAttributeStringAsync(null, "title", null, ExportXml.Clean(title));
        }
        await xml.WriteEndElementAsync();
    }

    private static async Task AuthorAsync(XmlWriter xml, string name, string? uri, string? email)
    {
        await xml.WriteStartElementAsync(null, "author", Atom);
        await xml.WriteElementStringAsync(null, "name", Atom, ExportXml.Clean(name));
        if (uri is not null)
        {
            await xml.WriteElementStringAsync(null, "uri", Atom, ExportXml.Clean(uri));
        }
        if (email is not null)
        {
            await xml.WriteElementStringAsync(null, "email", Atom, ExportXml.Clean(email));
        }
        await xml.WriteEndElementAsync();
    }
}
