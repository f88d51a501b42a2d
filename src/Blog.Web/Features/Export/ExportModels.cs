using Blog.Web.Features.Posts;

namespace Blog.Web.Features.Export;

/// <summary>What every part of an export needs to know about the blog: its name, its one public address, its clock.</summary>
public sealed record ExportSite
{
    public required string Title { get; init; }

    public required string Description { get; init; }

    /// <summary>The blog's configured address (<see cref="Hosting.CanonicalAddress.Base"/>), never a request's host.</summary>
    public required string Base { get; init; }

    public required TimeZoneInfo TimeZone { get; init; }

    /// <summary>When the export was written (UTC): a post published later than this is scheduled.</summary>
    public required DateTime Now { get; init; }

    public string Absolute(string path) => Base + path;

    /// <summary>Where readers find the post now; a draft's address is the one it would have with its date.</summary>
    public string AddressOf(ExportPostRow post) => Absolute(post.Kind == PostKind.Page
        ? PostUrls.PagePath(post.Slug)
        : PostUrls.PostPath(post.PublishedAt ?? post.UpdatedAt, post.Slug, TimeZone));

    public DateTime Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeZone);
}

/// <summary>A post or page as an export writes it.</summary>
public sealed record ExportPostRow
{
    public long Id { get; init; }

    /// <summary>A <see cref="PostKind"/>.</summary>
    public string Kind { get; init; } = PostKind.Post;

    public string Title { get; init; } = "";

    public string Subtitle { get; init; } = "";

    public string Slug { get; init; } = "";

    /// <summary>The stored, sanitized HTML (what readers see), with media addresses still relative.</summary>
    public string BodyHtml { get; init; } = "";

    /// <summary>A <see cref="PostStatus"/>: draft or published (published later than now is scheduled).</summary>
    public string Status { get; init; } = "";

    public DateTime? PublishedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public bool AllowComments { get; init; }

    public string? AuthorId { get; init; }

    public string? AuthorName { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = [];

    public bool IsDraft => Status != PostStatus.Published;
}

/// <summary>
/// A comment as an export writes it. <see cref="ParentId"/> is the nearest ancestor the export keeps: when a reply's
/// parent was removed (or, in a format without held comments, is waiting for approval) the reply hangs on the next
/// one up, or becomes top-level, rather than pointing at something the file does not hold.
/// </summary>
public sealed record ExportCommentRow
{
    public long Id { get; init; }

    public long PostId { get; init; }

    public long? ParentId { get; init; }

    /// <summary>The top-level comment of the thread; null for a top-level comment.</summary>
    public long? RootId { get; init; }

    /// <summary>Whether the comment's own parent is in the export (see <see cref="ParentId"/>).</summary>
    public bool ParentKept { get; init; } = true;

    public string BodyHtml { get; init; } = "";

    /// <summary>approved or held.</summary>
    public string Status { get; init; } = "";

    public DateTime CreatedAt { get; init; }

    /// <summary>A member's display name; null for a guest or a deleted account.</summary>
    public string? MemberName { get; init; }

    public string? MemberEmail { get; init; }

    public string? GuestName { get; init; }

    public string? GuestUrl { get; init; }

    /// <summary>Normalized (upper-case) as stored.</summary>
    public string? GuestEmail { get; init; }

    public bool IsHeld => Status == "held";

    public string AuthorName => MemberName ?? GuestName ?? PostListing.DeletedAuthor;

    /// <summary>Only a guest's own web address, and only http or https (anything else would be a link nobody should follow).</summary>
    public string? AuthorUrl =>
        MemberName is null && Uri.TryCreate(GuestUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" ? url.AbsoluteUri : null;

    /// <summary>Exported so a commenter can claim their comments in the next blog; e-mail addresses compare without case.</summary>
    public string? AuthorEmail => MemberEmail ?? GuestEmail?.ToLowerInvariant();
}

/// <summary>A label, for WordPress's channel-level category list.</summary>
public sealed record ExportLabelRow
{
    public long Id { get; init; }

    public string Name { get; init; } = "";
}

/// <summary>Someone who wrote posts, for WordPress's channel-level author list.</summary>
public sealed record ExportAuthorRow
{
    public string Id { get; init; } = "";

    public string DisplayName { get; init; } = "";

    public string? Email { get; init; }
}
