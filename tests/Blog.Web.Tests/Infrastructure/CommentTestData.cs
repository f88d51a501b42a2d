using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Blog.Web.Features.Posts;
using Blog.Web.Identity;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>Seeds posts to comment on (through <see cref="PostSeeder"/>) and posts comments through the real endpoint.</summary>
public static partial class CommentTestData
{
    public static Task<long> CreatePostAsync(
        BlogAppFactory app, DateTime publishedAt, string? authorId = null, bool allowComments = true, string status = "published", string kind = "post")
    {
        var slug = "post-" + Guid.NewGuid().ToString("N")[..12];
        var (id, _) = PostSeeder.Insert(app, new SeedPost
        {
            Kind = kind,
            AuthorId = authorId,
            Title = "A post called " + slug,
            Slug = slug,
            BodyHtml = "<p>Body</p>",
            Status = status,
            PublishedAt = publishedAt,
            AllowComments = allowComments,
        });
        return Task.FromResult(id);
    }

    public static Task<long> CreatePostAsync(CommentAppFactory app, string? authorId = null, bool allowComments = true, double ageDays = 1) =>
        CreatePostAsync(app, app.Now.AddDays(-ageDays), authorId, allowComments);

    /// <summary>
    /// Where readers find the post or page, with its comment section (a blog in UTC, as tests run it). A draft's
    /// address is the one it would have if published now.
    /// </summary>
    public static string PostPath(BlogAppFactory app, long postId)
    {
        using var connection = app.OpenDatabase();
        var post = connection.QuerySingle<PostAddressRow>(
            "SELECT kind, slug, published_at FROM posts WHERE id = @Id", new { Id = postId });
        return post.Kind == "page"
            ? PostUrls.PagePath(post.Slug)
            : PostUrls.PostPath(post.PublishedAt ?? DateTime.UtcNow, post.Slug, TimeZoneInfo.Utc);
    }

    public static async Task<HttpResponseMessage> CommentAsync(BlogClient client, long postId, string body, long? parentId = null, bool emailReplies = false)
    {
        var fields = new Dictionary<string, string> { ["PostId"] = postId.ToString(CultureInfo.InvariantCulture), ["Body"] = body };
        if (parentId is { } parent)
        {
            fields["ParentId"] = parent.ToString(CultureInfo.InvariantCulture);
        }
        if (emailReplies)
        {
            fields["EmailReplies"] = "true";
        }
        return await client.PostAsync("/comments", fields, TokenPage);
    }

    /// <summary>Posts a comment that must be accepted, and returns its id (from the #c{id} anchor of the redirect).</summary>
    public static async Task<long> CommentIdAsync(BlogClient client, long postId, string body, long? parentId = null, bool emailReplies = false)
    {
        using var response = await CommentAsync(client, postId, body, parentId, emailReplies);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Commenting answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return IdFromLocation(response);
    }

    public static long IdFromLocation(HttpResponseMessage response)
    {
        var match = AnchorPattern().Match(response.Headers.Location!.OriginalString);
        Assert.True(match.Success, $"No #c{{id}} anchor in {response.Headers.Location}");
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>A page that always carries a form, so an antiforgery token for this client, signed in or not.</summary>
    public const string TokenPage = "/account/sign-in";

    public static Task<(BlogClient Client, Member Member)> SignedInAsync(BlogAppFactory app, MemberRole role) =>
        BlogClient.SignedInAsync(app, role);

    /// <summary>Posts a form the way the comment section's buttons do (with this client's antiforgery token).</summary>
    public static Task<HttpResponseMessage> PostFormAsync(BlogClient client, string url, Dictionary<string, string>? fields = null) =>
        client.PostAsync(url, fields ?? [], TokenPage);

    public static T Scalar<T>(BlogAppFactory app, string sql, object? parameters = null)
    {
        using var connection = app.OpenDatabase();
        return connection.ExecuteScalar<T>(sql, parameters)!;
    }

    public static void Execute(BlogAppFactory app, string sql, object? parameters = null)
    {
        using var connection = app.OpenDatabase();
        connection.Execute(sql, parameters);
    }

    public static CommentRecord Comment(BlogAppFactory app, long id)
    {
        using var connection = app.OpenDatabase();
        return connection.QuerySingle<CommentRecord>(
            "SELECT id, post_id, parent_id, depth, author_id, body_markdown, body_html, status, held_reason, removed_by, edited_at FROM comments WHERE id = @Id",
            new { Id = id });
    }

    /// <summary>Everything a comment endpoint could change, as one string, to prove a refusal stored nothing.</summary>
    public static string Snapshot(BlogAppFactory app)
    {
        using var connection = app.OpenDatabase();
        var parts = SnapshotQueries.Select(sql => string.Join("\n", connection.Query(sql).Select(row => string.Join("|", ((IDictionary<string, object?>)row).Values))));
        return string.Join("\n--\n", parts);
    }

    private static readonly string[] SnapshotQueries =
    [
        "SELECT id, post_id, parent_id, depth, author_id, body_markdown, status, removed_at, removed_by, edited_at FROM comments ORDER BY id",
        "SELECT id, comment_id, member_id, reason, resolved_at FROM comment_reports ORDER BY id",
        "SELECT member_id, email_reply_notices FROM member_preferences ORDER BY member_id",
        "SELECT id, role, banned_at FROM members ORDER BY id",
        "SELECT key, value FROM site_settings ORDER BY key",
    ];

    [GeneratedRegex(@"#c(\d+)$")]
    private static partial Regex AnchorPattern();
}

public sealed record PostAddressRow
{
    public string Kind { get; init; } = "";

    public string Slug { get; init; } = "";

    public DateTime? PublishedAt { get; init; }
}

public sealed record CommentRecord
{
    public long Id { get; init; }

    public long PostId { get; init; }

    public long? ParentId { get; init; }

    public long Depth { get; init; }

    public string? AuthorId { get; init; }

    public string BodyMarkdown { get; init; } = "";

    public string BodyHtml { get; init; } = "";

    public string Status { get; init; } = "";

    public string? HeldReason { get; init; }

    public string? RemovedBy { get; init; }

    public DateTime? EditedAt { get; init; }
}
