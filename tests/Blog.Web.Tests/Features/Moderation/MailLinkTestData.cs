using System.Security.Cryptography;
using Blog.Web.Features.IndieAuth;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.WebUtilities;

namespace Blog.Web.Tests.Features.Moderation;

/// <summary>A mail link made straight in the database, for tests about something else than the mail that carries it.</summary>
public static class MailLinkTestData
{
    /// <summary>A held comment with a link in it, written straight in the database; its id.</summary>
    public static async Task<long> InsertHeldCommentAsync(BlogAppFactory app, long postId, string writerId)
    {
        await using var connection = app.OpenDatabase();
        return await connection.ExecuteScalarAsync<long>("""
            INSERT INTO comments (post_id, depth, author_id, body_markdown, body_html, status, held_reason, created_at)
            VALUES (@PostId, 0, @WriterId, 'Great post! More at https://a.example',
                    '<p>Great post! More at <a href="https://a.example" rel="nofollow ugc noopener">https://a.example</a></p>',
                    'held', 'Contains 1 link', @Now)
            RETURNING id
            """, new { PostId = postId, WriterId = writerId, Now = TestDatabase.StoredTime(DateTime.UtcNow) });
    }

    /// <summary>Holds the comment and gives <paramref name="recipientId"/> a working link for it: its path and its secret.</summary>
    public static async Task<(string Path, string Token)> LinkForHeldCommentAsync(BlogAppFactory app, long commentId, string recipientId, string decision = "approve")
    {
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        await using var connection = app.OpenDatabase();
        await connection.ExecuteAsync("UPDATE comments SET status = 'held', held_reason = 'Every comment is moderated' WHERE id = @Id", new { Id = commentId });
        await connection.ExecuteAsync("""
            INSERT INTO moderation_links (token_hash, comment_id, recipient_id, action, created_at, expires_at)
            VALUES (@Hash, @CommentId, @RecipientId, @Decision, '2026-01-01 00:00:00.0000000', '2999-01-01 00:00:00.0000000')
            """, new { Hash = AccessTokenStore.Hash(token), CommentId = commentId, RecipientId = recipientId, Decision = decision });
        return ($"/moderation/{decision}", token);
    }
}
