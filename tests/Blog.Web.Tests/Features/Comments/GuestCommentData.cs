using Blog.Web.Tests.Infrastructure;
using Dapper;

namespace Blog.Web.Tests.Features.Comments;

/// <summary>Comments as an import writes them: no account, the old blog's name, link and (normalized) address.</summary>
public static class GuestCommentData
{
    public static long Insert(
        BlogAppFactory app, long postId, string? name, string? url, string? email, DateTime createdAt,
        long? parentId = null, string status = "approved", string body = "An old comment")
    {
        using var connection = app.OpenDatabase();
        var (rootId, depth) = parentId is { } parent
            ? connection.QuerySingle<(long?, long)>("SELECT COALESCE(root_id, id), depth + 1 FROM comments WHERE id = @Id", new { Id = parent })
            : (null, 0);
        var id = connection.ExecuteScalar<long>("""
            INSERT INTO comments (post_id, parent_id, root_id, depth, author_id, body_markdown, body_html, status, created_at,
                                  guest_name, guest_url, guest_email)
            VALUES (@PostId, @ParentId, @RootId, @Depth, NULL, @Body, @Html, @Status, @CreatedAt, @Name, @Url, @Email)
            RETURNING id
            """, new
        {
            PostId = postId,
            ParentId = parentId,
            RootId = rootId,
            Depth = depth,
            Body = body,
            Html = "<p>" + System.Net.WebUtility.HtmlEncode(body) + "</p>",
            Status = status,
            CreatedAt = TestDatabase.StoredTime(createdAt),
            Name = name,
            Url = url,
            Email = email?.ToUpperInvariant(),
        });
        app.ForgetCachedPages();
        return id;
    }
}
