using System.Xml;
using System.Xml.Linq;
using Blog.Web.Features.Export;
using Blog.Web.Features.Import;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Export;

/// <summary>
/// A blog with something of every kind an export carries: a post with every kind of content (a picture, code with
/// line breaks, characters XML cannot hold, a CDATA terminator, labels in and out of ASCII), a draft, a scheduled post,
/// a page, and comments by members and guests in threads three deep, one held, one removed with a reply under it.
/// </summary>
public sealed class ExportTestBlog
{
    public const string Address = "https://blog.example.org";

    /// <summary>
    /// Text with what XML 1.0 cannot hold (U+0001, a lone surrogate) and what would end a CDATA section. PostgreSQL
    /// stores only valid UTF-8, so there the title keeps no lone surrogate (nothing a browser posts can carry one).
    /// </summary>
    public static string HostileTitle { get; } = TestDatabase.IsPostgreSql
        ? "Tricky \u0001title ]]> with a lone half & <angle>"
        : "Tricky \u0001title ]]> with a lone \ud800 half & <angle>";

    public static readonly DateTime Published = new(2024, 3, 9, 23, 30, 0, DateTimeKind.Utc);

    public required long Rich { get; init; }
    public required string RichSlug { get; init; }
    public required long Draft { get; init; }
    public required long Scheduled { get; init; }
    public required long Page { get; init; }
    public required string PageSlug { get; init; }
    public required long MemberComment { get; init; }
    public required long GuestComment { get; init; }
    public required long Reply { get; init; }
    public required long ReplyToReply { get; init; }
    public required long Held { get; init; }
    public required long Removed { get; init; }
    public required long UnderRemoved { get; init; }
    public required long PageComment { get; init; }
    public required Blog.Web.Identity.Member Commenter { get; init; }

    public const string RichBody =
        "<p>Hello <strong>world</strong> \u0001 with ]]&gt; and an emoji 🙂</p>\n" +
        "<p><picture><source type=\"image/webp\" srcset=\"/media/abc/480.webp 480w, /media/abc/960.webp 960w\">" +
        "<img src=\"/media/abc/960.jpg\" alt=\"A lake\" width=\"960\" height=\"640\"></picture></p>\n" +
        "<pre><code>line one\nline two\n</code></pre>\n<p>The end.</p>";

    public static async Task<ExportTestBlog> SeedAsync(BlogAppFactory app, DateTime now)
    {
        var owner = await BlogClient.CreateAccountAsync(app, MemberRole.Owner, displayName: "Olive Owner");
        var commenter = await BlogClient.CreateAccountAsync(app, MemberRole.Member, displayName: "Mia Member");
        var rich = PostSeeder.Insert(app, new SeedPost
        {
            Title = HostileTitle, Subtitle = "A subtitle ]]> with a CDATA end", BodyHtml = RichBody, AuthorId = owner.Id, PublishedAt = Published,
            UpdatedAt = Published.AddDays(2), Labels = ["Travel", "C#", "日本"],
        });
        var draft = PostSeeder.Insert(app, new SeedPost { Title = "Half written", Status = "draft", PublishedAt = null, AuthorId = owner.Id, Labels = ["Travel"] });
        var scheduled = PostSeeder.Insert(app, new SeedPost { Title = "Coming soon", PublishedAt = now.AddDays(10), AuthorId = owner.Id, AllowComments = false });
        var page = PostSeeder.Insert(app, new SeedPost { Kind = "page", Title = "About me", AuthorId = owner.Id, PublishedAt = Published });

        using var connection = app.OpenDatabase();
        long Comment(long postId, long? parent, long? root, int depth, string? authorId, string body, string status = "approved",
            string? guestName = null, string? guestUrl = null, string? guestEmail = null, bool removed = false) =>
            connection.ExecuteScalar<long>("""
                INSERT INTO comments (post_id, parent_id, root_id, depth, author_id, body_markdown, body_html, status, removed_at, removed_by,
                                      created_at, guest_name, guest_url, guest_email)
                VALUES (@PostId, @Parent, @Root, @Depth, @AuthorId, @Body, @Html, @Status, @RemovedAt, @RemovedBy, @CreatedAt, @GuestName, @GuestUrl, @GuestEmail)
                RETURNING id
                """, new
            {
                PostId = postId, Parent = parent, Root = root, Depth = depth, AuthorId = authorId, Body = body, Html = $"<p>{body}</p>", Status = status,
                RemovedAt = removed ? TestDatabase.StoredTime(now) : null, RemovedBy = removed ? "admin" : null,
                CreatedAt = TestDatabase.StoredTime(Published.AddHours(1 + depth)), GuestName = guestName, GuestUrl = guestUrl, GuestEmail = guestEmail,
            });
        var memberComment = Comment(rich.Id, null, null, 0, commenter.Id, "First!");
        var guestComment = Comment(rich.Id, null, null, 0, null, "A guest speaks", guestName: "Gus Guest", guestUrl: "https://gus.example.net/", guestEmail: "GUS@EXAMPLE.NET");
        var reply = Comment(rich.Id, memberComment, memberComment, 1, owner.Id, "Thanks");
        var replyToReply = Comment(rich.Id, reply, memberComment, 2, null, "You are welcome", guestName: "Gus Guest", guestUrl: "javascript:alert(1)");
        var held = Comment(rich.Id, null, null, 0, commenter.Id, "Waiting for approval", status: "held");
        var removed = Comment(rich.Id, guestComment, guestComment, 1, commenter.Id, "Something rude", removed: true);
        var underRemoved = Comment(rich.Id, removed, guestComment, 2, owner.Id, "Please be kind");
        var pageComment = Comment(page.Id, null, null, 0, commenter.Id, "Nice page");
        return new ExportTestBlog
        {
            Rich = rich.Id, RichSlug = rich.Slug, Draft = draft.Id, Scheduled = scheduled.Id, Page = page.Id, PageSlug = page.Slug,
            MemberComment = memberComment, GuestComment = guestComment, Reply = reply, ReplyToReply = replyToReply, Held = held,
            Removed = removed, UnderRemoved = underRemoved, PageComment = pageComment, Commenter = commenter,
        };
    }

    public static async Task<string> ExportAsync(BlogAppFactory app, ExportFormat format)
    {
        using var output = new MemoryStream();
        await app.Services.GetRequiredService<BlogExporter>().WriteAsync(format, output, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(output.ToArray());
    }

    /// <summary>Reads the file the way the importers do (a streaming reader, DTDs prohibited): it must be well-formed.</summary>
    public static XDocument Parse(string xml)
    {
        using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        return XDocument.Load(reader);
    }
}
