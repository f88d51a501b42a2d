namespace Blog.Web.Features.Posts;

/// <summary>A visible post as a list (home, label, archive, feed) shows it.</summary>
public sealed record PostSummary
{
    public long Id { get; init; }

    public string Title { get; init; } = "";

    public string Subtitle { get; init; } = "";

    public string Slug { get; init; } = "";

    public string Excerpt { get; init; } = "";

    public DateTime PublishedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    /// <summary>Null when the author's account was deleted.</summary>
    public string? AuthorName { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Approved comments not removed, as the post's comment section counts them.</summary>
    public int CommentCount { get; init; }

    public CoverPicture? Cover { get; init; }
}

/// <summary>A visible post or page with everything its own page shows.</summary>
public sealed record PostDetail
{
    public long Id { get; init; }

    /// <summary>A <see cref="PostKind"/>.</summary>
    public string Kind { get; init; } = "";

    public string Title { get; init; } = "";

    public string Subtitle { get; init; } = "";

    public string Slug { get; init; } = "";

    /// <summary>Sanitized when the post was saved; rendered as is.</summary>
    public string BodyHtml { get; init; } = "";

    public string Excerpt { get; init; } = "";

    public DateTime PublishedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public string? AuthorName { get; init; }

    public bool AllowComments { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = [];

    public CoverPicture? Cover { get; init; }
}

/// <summary>
/// A post's cover picture, read with the post in the same query (<see cref="PostSql.CoverColumns"/>): all the
/// markup needs, since the files stored for a picture follow from its width (<see cref="Media.PictureFiles.Of(string, int, int, bool)"/>).
/// </summary>
public sealed record CoverPicture
{
    public string Hash { get; init; } = "";

    public int Width { get; init; }

    public int Height { get; init; }

    public bool HasAlpha { get; init; }

    public string AltText { get; init; } = "";

    public bool Decorative { get; init; }

    public Media.PictureFiles Files => Media.PictureFiles.Of(Hash, Width, Height, HasAlpha);

    /// <summary>The library's text alternative; empty for a decorative picture.</summary>
    public string Alt => Decorative ? "" : AltText;
}

/// <summary>A static page's link in the site navigation.</summary>
public sealed record PageLink
{
    public string Title { get; init; } = "";

    public string Slug { get; init; } = "";
}

/// <summary>How many visible comments one post has.</summary>
internal sealed record PostCommentCount
{
    public long PostId { get; init; }

    public int CommentCount { get; init; }
}

/// <summary>One row of a post_labels join: which label a post carries.</summary>
internal sealed record PostLabel
{
    public long PostId { get; init; }

    public string Name { get; init; } = "";
}
