using System.Text.Json;
using Blog.Web.Data;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;

namespace Blog.Web.Tests.Features.Account;

/// <summary>
/// "Download my data" gives a person everything the blog stores about them. The schema is read back, so that a new
/// table or column holding someone's data fails here until it is exported (or, for a members column, withheld on
/// purpose and listed below with the reason).
/// </summary>
public sealed class AccountDataExportTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    /// <summary>Every column that points at a member, and the section of the download that carries its rows.</summary>
    private static readonly Dictionary<string, string> SectionOfMemberLink = new()
    {
        ["posts.author_id"] = "posts",
        ["comments.author_id"] = "comments",
        ["comment_reports.member_id"] = "commentReports",
        ["member_preferences.member_id"] = "notificationPreferences",
        ["membership_requests.member_id"] = "membershipRequests",
        ["invitations.created_by"] = "invitationsSent",
        ["invitations.used_by"] = "invitationsAccepted",
        ["media.uploaded_by"] = "pictures",
        ["import_runs.started_by"] = "imports",
        ["indieauth_tokens.member_id"] = "apps",
        ["indieauth_codes.member_id"] = "appApprovals",
        ["post_revisions.editor_id"] = "revisions",
        ["post_autosaves.editor_id"] = "autosaves",
        ["moderation_links.recipient_id"] = "moderationLinks",
        ["micropub_deletions.deleted_by"] = "appDeletions",
    };

    /// <summary>The members columns in the "profile" section, by their name there.</summary>
    private static readonly Dictionary<string, string> ProfileFieldOfColumn = new()
    {
        ["display_name"] = "displayName",
        ["email"] = "email",
        ["email_confirmed"] = "emailConfirmed",
        ["role"] = "role",
        ["banned_at"] = "bannedAt",
        ["created_at"] = "createdAt",
        ["two_factor_enabled"] = "twoFactorEnabled",
        ["lockout_end"] = "lockedOutUntil",
        ["access_failed_count"] = "failedSignInAttempts",
    };

    /// <summary>The members columns never exported, and why.</summary>
    private static readonly Dictionary<string, string> WithheldColumns = new()
    {
        ["id"] = "the internal key; nothing outside the blog refers to it",
        ["user_name"] = "always the email address",
        ["normalized_user_name"] = "an upper-cased copy of the email address",
        ["normalized_email"] = "an upper-cased copy of the email address",
        ["password_hash"] = "a secret",
        ["security_stamp"] = "a secret",
        ["concurrency_stamp"] = "a secret",
        ["authenticator_key"] = "a secret",
        ["recovery_codes"] = "a secret",
        ["lockout_enabled"] = "the blog's setting, the same for everyone",
    };

    /// <summary>"table.column" of every foreign key to members, read from the engine's own catalog.</summary>
    private static readonly DialectSql ColumnsPointingAtMembers = new(
        Sqlite: """
            SELECT t.name || '.' || k."from" FROM sqlite_schema t JOIN pragma_foreign_key_list(t.name) k
            WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite_%' AND k."table" = 'members'
            """,
        PostgreSql: """
            SELECT k.table_name || '.' || k.column_name
            FROM information_schema.referential_constraints r
            JOIN information_schema.key_column_usage k ON k.constraint_schema = r.constraint_schema AND k.constraint_name = r.constraint_name
            JOIN information_schema.table_constraints target
              ON target.constraint_schema = r.unique_constraint_schema AND target.constraint_name = r.unique_constraint_name
            WHERE r.constraint_schema = 'public' AND target.table_name = 'members'
            """);

    private static readonly DialectSql MembersColumns = new(
        Sqlite: "SELECT name FROM pragma_table_info('members')",
        PostgreSql: "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'members'");

    [Fact]
    public void EveryColumnThatPointsAtAMemberHasASection()
    {
        using var db = app.OpenDatabase();
        var links = db.Query<string>(Dialect.Of(db).Text(ColumnsPointingAtMembers)).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(SectionOfMemberLink.Keys.Order(StringComparer.Ordinal), links);
    }

    [Fact]
    public async Task EveryMembersColumnIsInTheProfileOrWithheldOnPurpose()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var signedIn = client;
        using var db = app.OpenDatabase();
        var columns = db.Query<string>(Dialect.Of(db).Text(MembersColumns)).Order(StringComparer.Ordinal).ToList();

        using var export = await client.DownloadAccountDataAsync();
        var profile = export.RootElement.GetProperty("profile");

        Assert.Equal(columns, ProfileFieldOfColumn.Keys.Concat(WithheldColumns.Keys).Order(StringComparer.Ordinal));
        Assert.All(ProfileFieldOfColumn.Values, field => Assert.True(profile.TryGetProperty(field, out _), $"The profile has no \"{field}\"."));
    }

    [Fact]
    public async Task EachSectionHoldsThePersonsOwnRowsAndNobodyElses()
    {
        var (client, person) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var (otherClient, other) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var personSignedIn = client;
        using var otherSignedIn = otherClient;
        var (postId, _) = PostSeeder.Insert(app, new SeedPost { Title = "Exported post", AuthorId = person.Id, Labels = ["travel", "food"] });
        var (otherPostId, _) = PostSeeder.Insert(app, new SeedPost { Title = "Someone else's post", AuthorId = other.Id });
        var mine = await CommentTestData.CommentIdAsync(client, postId, "My exported comment", emailReplies: true);
        var theirs = await CommentTestData.CommentIdAsync(otherClient, postId, "Their comment");
        using (var reporting = await client.SubmitFormAsync($"/comments/{theirs}/report", new Dictionary<string, string> { ["Reason"] = "off topic here" }))
        using (var reported = await otherClient.SubmitFormAsync($"/comments/{mine}/report", new Dictionary<string, string> { ["Reason"] = "not my report" }))
        using (var db = app.OpenDatabase())
        {
            db.Execute("""
                INSERT INTO membership_requests (member_id, message, created_at, decided_at, decision)
                VALUES (@Person, 'Please let me in', '2026-01-01 00:00:00.0000000', '2026-01-02 00:00:00.0000000', 'declined'),
                       (@Other, 'Not mine', '2026-01-01 00:00:00.0000000', NULL, NULL);
                INSERT INTO invitations (token_hash, email, created_by, created_at, expires_at)
                VALUES (@Sent, 'friend@example.test', @Person, '2026-01-01 00:00:00.0000000', '2026-01-08 00:00:00.0000000');
                INSERT INTO invitations (token_hash, email, created_by, created_at, expires_at, used_by, used_at)
                VALUES (@Accepted, NULL, @Other, '2026-01-01 00:00:00.0000000', '2026-01-08 00:00:00.0000000', @Person, '2026-01-03 00:00:00.0000000');
                INSERT INTO post_revisions (post_id, version, editor_id, origin, created_at, title, subtitle, body, labels)
                VALUES (@PostId, 50, @Person, 'editor', '2026-01-04 00:00:00.0000000', 'My second version', '', 'Body two', 'travel'),
                       (@PostId, 51, @Other, 'editor', '2026-01-05 00:00:00.0000000', 'Not my version', '', 'Their body', '');
                INSERT INTO post_autosaves (post_id, editor_id, base_version, title, subtitle, body, labels, saved_at)
                VALUES (@PostId, @Person, 1, 'Typed, not saved', '', 'Words in progress', '', '2026-01-06 00:00:00.0000000'),
                       (@PostId, @Other, 1, 'Their typing', '', 'Not mine', '', '2026-01-06 00:00:00.0000000');
                INSERT INTO moderation_links (token_hash, comment_id, recipient_id, action, created_at, expires_at)
                VALUES (@Sent || 'a', @Mine, @Person, 'approve', '2026-01-07 00:00:00.0000000', '2026-01-14 00:00:00.0000000'),
                       (@Sent || 'b', @Mine, @Other, 'reject', '2026-01-07 00:00:00.0000000', '2026-01-14 00:00:00.0000000');
                INSERT INTO micropub_deletions (post_id, previous_status, previous_published_at, deleted_by, deleted_at)
                VALUES (@PostId, 'published', '2026-01-01 00:00:00.0000000', @Person, '2026-01-08 00:00:00.0000000'),
                       (@OtherPostId, 'published', NULL, @Other, '2026-01-08 00:00:00.0000000');
                """, new
                {
                    Person = person.Id, Other = other.Id, Sent = Guid.NewGuid().ToString("N"), Accepted = Guid.NewGuid().ToString("N"),
                    PostId = postId, OtherPostId = otherPostId, Mine = mine,
                });
        }

        using var export = await client.DownloadAccountDataAsync();
        var root = export.RootElement;
        JsonElement OnlyRowOf(string section) => Assert.Single(root.GetProperty(section).EnumerateArray().ToList());

        Assert.All(SectionOfMemberLink.Values, section => Assert.True(root.TryGetProperty(section, out _), $"No \"{section}\" section."));
        var post = OnlyRowOf("posts");
        Assert.Equal("Exported post", post.GetProperty("title").GetString());
        Assert.Equal(["food", "travel"], post.GetProperty("labels").GetString()!.Split(", ").Order(StringComparer.Ordinal));
        Assert.Equal("My exported comment", OnlyRowOf("comments").GetProperty("bodyMarkdown").GetString());
        var report = OnlyRowOf("commentReports");
        Assert.Equal(theirs, report.GetProperty("commentId").GetInt64());
        Assert.Equal("off topic here", report.GetProperty("reason").GetString());
        Assert.True(root.GetProperty("notificationPreferences").GetProperty("emailReplyNotices").GetBoolean());
        var request = OnlyRowOf("membershipRequests");
        Assert.Equal("Please let me in", request.GetProperty("message").GetString());
        Assert.Equal("declined", request.GetProperty("decision").GetString());
        Assert.Equal("friend@example.test", OnlyRowOf("invitationsSent").GetProperty("email").GetString());
        Assert.True(OnlyRowOf("invitationsAccepted").TryGetProperty("usedAt", out _));
        Assert.Equal("My second version", OnlyRowOf("revisions").GetProperty("title").GetString());
        Assert.Equal("Words in progress", OnlyRowOf("autosaves").GetProperty("body").GetString());
        Assert.Equal("approve", OnlyRowOf("moderationLinks").GetProperty("action").GetString());
        Assert.Equal(postId, OnlyRowOf("appDeletions").GetProperty("postId").GetInt64());
        Assert.DoesNotContain(other.Id, root.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(other.Email!, root.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SomeoneWhoNeverChoseGetsTheDefaultPreferences()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var signedIn = client;

        using var export = await client.DownloadAccountDataAsync();
        var preferences = export.RootElement.GetProperty("notificationPreferences");

        Assert.False(preferences.GetProperty("emailReplyNotices").GetBoolean());
        Assert.Equal(JsonValueKind.Null, preferences.GetProperty("updatedAt").ValueKind);
    }
}
