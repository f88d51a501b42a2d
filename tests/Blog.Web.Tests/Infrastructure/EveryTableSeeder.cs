using Blog.Web.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// Gives every table of a SQLite blog at least one row, for tests that must see each table (the copy to
/// PostgreSQL). Posts, labels, search rows, members and pictures come from the app and the seeders; this adds the
/// rest (replies, reports, revisions, redirects, statistics, the mail outbox, import runs, IndieAuth, invitations…)
/// with values chosen to be awkward: times with 100-ns digits, flags both ways, non-ASCII text and emoji, bytes.
/// </summary>
public static class EveryTableSeeder
{
    /// <summary>A time with digits below the microsecond, which PostgreSQL's timestamptz does not keep.</summary>
    public const string AwkwardTime = "2026-01-02 03:04:05.1234567";

    public const string AwkwardText = "Fête naïve — 🎉 日本語 \"quoted\" 'single' \\ back";

    public static readonly byte[] SaltBytes = [0, 1, 2, 254, 255, 0x5c, 0x27];

    public static void FillTheRest(SqliteConnection connection, string ownerId, string memberId, long postId, long mediaId)
    {
        var at = SqliteTimes.Format(DateTime.UtcNow.AddDays(-2));
        var later = SqliteTimes.Format(DateTime.UtcNow.AddDays(5));
        var p = new { Owner = ownerId, Member = memberId, Post = postId, Media = mediaId, At = at, Later = later, Awkward = AwkwardText, AwkwardTime, Salt = SaltBytes };
        connection.Execute("""
            INSERT INTO comments (id, post_id, parent_id, root_id, depth, author_id, body_markdown, body_html, status, created_at)
            VALUES (1001, @Post, NULL, 1001, 0, @Member, @Awkward, '<p>root</p>', 'approved', @AwkwardTime);
            INSERT INTO comments (id, post_id, parent_id, root_id, depth, author_id, body_markdown, body_html, status, held_reason, created_at, edited_at)
            VALUES (1002, @Post, 1001, 1001, 1, @Owner, 'A reply', '<p>A reply</p>', 'held', 'links', @At, @At);
            INSERT INTO comment_reports (comment_id, member_id, reason, created_at) VALUES (1002, @Member, 'spam', @At);
            INSERT INTO moderation_links (token_hash, comment_id, recipient_id, action, created_at, expires_at)
            VALUES ('mod-hash', 1002, @Owner, 'approve', @At, @Later);
            INSERT INTO post_revisions (post_id, version, editor_id, origin, created_at, title, subtitle, body, body_format, labels)
            VALUES (@Post, 2, @Owner, 'editor', @At, @Awkward, '', 'Second version', 'markdown', 'Travel');
            INSERT INTO post_autosaves (post_id, editor_id, base_version, title, subtitle, body, labels, saved_at)
            VALUES (@Post, @Owner, 1, 'Draft title', '', 'Unsaved words', 'Travel', @At);
            INSERT INTO post_slug_redirects (kind, old_slug, post_id) VALUES ('post', 'an-old-slug', @Post);
            INSERT INTO legacy_addresses (address, post_id, target) VALUES ('/2019/05/old-post.html', @Post, NULL);
            INSERT INTO post_media (post_id, media_id) VALUES (@Post, @Media);
            UPDATE posts SET cover_media_id = @Media WHERE id = @Post;
            INSERT INTO micropub_deletions (post_id, previous_status, previous_published_at, deleted_by, deleted_at)
            VALUES (@Post, 'published', @At, @Owner, @At);
            INSERT INTO member_preferences (member_id, email_reply_notices, updated_at) VALUES (@Member, 1, @At);
            INSERT INTO membership_requests (member_id, message, created_at, decided_at, decision) VALUES (@Member, @Awkward, @At, @At, 'approved');
            INSERT INTO invitations (token_hash, email, created_by, created_at, expires_at) VALUES ('inv-hash', 'friend@example.com', @Owner, @At, @Later);
            INSERT INTO indieauth_tokens (id, token_hash, member_id, client_id, client_name, scope, created_at, expires_at)
            VALUES (7, 'tok-hash', @Owner, 'https://app.example/', 'App ✍', 'create', @At, @Later);
            INSERT INTO indieauth_codes (code_hash, member_id, client_id, redirect_uri, scope, code_challenge, created_at, expires_at, used_at, token_id)
            VALUES ('code-hash', @Owner, 'https://app.example/', 'https://app.example/back', 'create', 'challenge', @At, @Later, @At, 7);
            INSERT INTO mail_outbox (recipient, subject, body, headers, queued_at, attempts, next_attempt_at, last_error)
            VALUES ('reader@example.com', @Awkward, 'Body', '{}', @At, 2, @Later, 'timeout');
            INSERT INTO import_runs (started_by, file_name, dry_run, fetch_remote_images, state, phase, done, total, report_json, created_at, finished_at)
            VALUES (@Owner, 'blog-export.xml', 0, 1, 'finished', 'done', 3, 3, '{"posts":3}', @At, @At);
            INSERT INTO imported_items (source, source_id, kind, local_id, imported_at) VALUES ('blogger', 'tag:post-1', 'post', @Post, @At);
            INSERT INTO site_settings (key, value, updated_at) VALUES ('title', @Awkward, @At);
            INSERT INTO stats_post_days (day, post_id, views, visitors) VALUES ('2026-01-02', @Post, 12, 5);
            INSERT INTO stats_referrer_days (day, domain, views) VALUES ('2026-01-02', 'example.org', 4);
            INSERT INTO stats_search_days (day, term, searches) VALUES ('2026-01-02', 'café', 2);
            INSERT INTO stats_salts (day, salt) VALUES ('2026-01-02', @Salt);
            INSERT INTO stats_visitors (day, post_id, visitor_hash) VALUES ('2026-01-02', @Post, @Salt);
            """, p);
    }
}
