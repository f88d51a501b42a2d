using Blog.Web.Data;
using Blog.Web.Features.Account;

namespace Blog.Web.Features.Authoring;

/// <summary>The "posts" part of a person's data download: the posts and pages they wrote, drafts included, as Markdown.</summary>
public sealed class PostsDataSection(BlogDatabase db) : RowsDataSection<ExportedPost>(db)
{
    public override string Name => "posts";

    protected override string Sql => $"""
        SELECT p.id, p.kind, p.title, p.subtitle, p.slug, p.body_markdown, p.status, p.published_at, p.allow_comments,
               p.created_at, p.updated_at, {AuthoringQueries.LabelsOfPostSql} AS labels
        FROM posts p
        WHERE p.author_id = @MemberId
        ORDER BY p.id
        """;
}

public sealed record ExportedPost
{
    public long Id { get; init; }

    /// <summary>A <see cref="Posts.PostKind"/>.</summary>
    public string Kind { get; init; } = "";

    public string Title { get; init; } = "";

    public string Subtitle { get; init; } = "";

    public string Slug { get; init; } = "";

    public string BodyMarkdown { get; init; } = "";

    public string Status { get; init; } = "";

    public DateTime? PublishedAt { get; init; }

    public bool AllowComments { get; init; }

    /// <summary>Separated by commas, as in the editor.</summary>
    public string Labels { get; init; } = "";

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }
}
