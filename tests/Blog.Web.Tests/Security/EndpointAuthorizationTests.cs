using System.Globalization;
using System.Net;
using Blog.Web.Identity;
using Blog.Web.Tests.Features.Media;
using Blog.Web.Tests.Features.Moderation;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Security;

/// <summary>
/// Every endpoint the app maps that can change state is listed here with who may call it, plus the pages only some
/// may see. A new endpoint that is not in the table fails <see cref="EveryUnsafeEndpointHasARule"/>, so nothing
/// slips in unguarded. Each refused request must leave the database exactly as it was; where a row says so, an
/// allowed one must change it, or the row would prove nothing.
/// </summary>
public sealed class EndpointAuthorizationTests(VisitorsFixture visitors) : IClassFixture<VisitorsFixture>
{
    private static readonly string[] UnsafeMethods = [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    /// <summary>Route pattern → how to call it and what each visitor gets.</summary>
    private static readonly EndpointRule[] Rules =
    [
        // Read-only pages that answer any method (error pages are re-executed for failed POSTs too).
        EndpointRule.ReadOnly("error"),
        EndpointRule.ReadOnly("error/{statusCode:int}"),
        EndpointRule.ReadOnly("healthz"),

        EndpointRule.ReadOnly("{**path}"),

        // Apps' endpoints: an access token only, never the cookie, so every visitor's browser gets 401 (see the Micropub tests for tokens).
        EndpointRule.TokenOnly("micropub"),
        EndpointRule.TokenOnly("micropub/media"),

        // Account: getting in (and back in) is open to everyone; signing out is harmless for anyone.
        EndpointRule.For("account/register", Everyone(Outcome.Allowed)),
        EndpointRule.For("account/sign-in", Everyone(Outcome.Allowed)),
        EndpointRule.For("account/sign-out", Everyone(Outcome.Allowed)) with { EndsSession = true },
        EndpointRule.For("account/forgot-password", Everyone(Outcome.Allowed)),
        EndpointRule.For("account/reset-password", Everyone(Outcome.Allowed)),
        EndpointRule.For("account/resend-confirmation", Everyone(Outcome.Allowed)),
        EndpointRule.For("account/confirm-email", Everyone(Outcome.Allowed)),
        EndpointRule.For("account/confirm-email-change", Everyone(Outcome.Allowed)),
        // The second sign-in step only makes sense half-way through signing in; otherwise it is back to step one.
        EndpointRule.For("account/sign-in/two-factor", Everyone(Outcome.SignIn)),
        EndpointRule.For("account/sign-in/recovery-code", Everyone(Outcome.SignIn)),

        // Account: one's own account, for anyone signed in (banned people included: it is theirs).
        EndpointRule.For("account/display-name", SignedIn()),
        EndpointRule.For("account/password", SignedIn()),
        EndpointRule.For("account/email", SignedIn()),
        EndpointRule.For("account/data", SignedIn()),
        EndpointRule.For("account/delete", SignedIn()),
        EndpointRule.For("account/two-factor/start", SignedIn()),
        EndpointRule.For("account/two-factor/enable", SignedIn()),
        EndpointRule.For("account/two-factor/disable", SignedIn()),
        EndpointRule.For("account/two-factor/recovery-codes", SignedIn()),
        EndpointRule.For("account/two-factor/reset-key", SignedIn()),
        // Claiming imported comments: only ever those written with the visitor's own confirmed address.
        EndpointRule.For("account/imported-comments/claim", SignedIn()) with { UrlFor = Data.ImportedCommentsForEveryoneAsync, ChangesData = true },

        // Apps (IndieAuth). Consenting: authors and the owner (a request without its fields is answered with a page);
        // everyone else gets 403 and no code. The app-facing endpoints ignore cookies: the code, verifier or token is
        // the proof, so every visitor gets the same OAuth answer (here, a refusal of an empty request).
        EndpointRule.For("indieauth/auth/consent", AuthorsOnly()),
        EndpointRule.For("indieauth/auth", Everyone(Outcome.Allowed)) with { CalledByApps = true },
        EndpointRule.For("indieauth/token", Everyone(Outcome.Allowed)) with { CalledByApps = true },
        EndpointRule.For("indieauth/introspect", Everyone(Outcome.Allowed)) with { CalledByApps = true },
        EndpointRule.For("indieauth/revoke", Everyone(Outcome.Allowed)) with { CalledByApps = true },
        EndpointRule.Page("account/apps", SignedIn()),
        // Disconnecting an app: only its holder (here the Author visitor); to anyone else it is not found.
        EndpointRule.For("account/apps/{id:long}/revoke", new(SignedIn(Outcome.NotFound)) { [Visitor.Author] = Outcome.Allowed }) with { UrlFor = async v => $"/account/apps/{await Data.AppTokenAsync(v, Visitor.Author)}/revoke", ChangesData = true },
        EndpointRule.For("account/apps/{id:long}/revoke", SignedIn(Outcome.NotFound)) with { Variant = "someone else's", UrlFor = async v => $"/account/apps/{await Data.AppTokenAsync(v, null)}/revoke" },

        // Setup is gone once an owner exists.
        EndpointRule.For("setup", Everyone(Outcome.NotFound)) with { UrlFor = _ => Task.FromResult("/setup?token=guess") },

        // Becoming a member. An unknown invitation is 404 for anyone signed in.
        EndpointRule.For("membership/request", new(SignedIn()) { [Visitor.Banned] = Outcome.Forbidden }),
        EndpointRule.For("membership/join", SignedIn()),
        EndpointRule.For("invitations/{token}/accept", new(Everyone(Outcome.NotFound)) { [Visitor.Anonymous] = Outcome.SignIn })
            with { UrlFor = _ => Task.FromResult("/invitations/" + new string('a', 64) + "/accept") },

        // The owner's Members page.
        EndpointRule.For("admin/members/mode", OwnerOnly()) with { Fields = new() { ["Mode"] = "Request" } },
        EndpointRule.For("admin/members/invitations", OwnerOnly()),
        EndpointRule.For("admin/members/invitations/{id:long}/revoke", OwnerOnly()) with { UrlFor = async v => $"/admin/members/invitations/{await Data.InvitationAsync(v)}/revoke" },
        EndpointRule.For("admin/members/requests/{id:long}/approve", OwnerOnly()) with { UrlFor = async v => $"/admin/members/requests/{await Data.MembershipRequestAsync(v)}/approve" },
        EndpointRule.For("admin/members/requests/{id:long}/decline", OwnerOnly()) with { UrlFor = async v => $"/admin/members/requests/{await Data.MembershipRequestAsync(v)}/decline" },
        EndpointRule.For("admin/members/{id}/role", OwnerOnly()) with { UrlFor = async v => $"/admin/members/{await Data.ReaderIdAsync(v)}/role", Fields = new() { ["Role"] = "member" } },
        EndpointRule.For("admin/members/{id}/ban", OwnerOnly()) with { UrlFor = async v => $"/admin/members/{await Data.ReaderIdAsync(v)}/ban" },
        EndpointRule.For("admin/members/{id}/unban", OwnerOnly()) with { UrlFor = async v => $"/admin/members/{await Data.ReaderIdAsync(v)}/unban" },

        // Writing: authors and the owner (another author's post is refused: see the authoring tests).
        EndpointRule.For("admin/preview", AuthorsOnly()) with { Fields = new() { ["body"] = "*hello*" } },
        EndpointRule.For("admin/{section:regex(^(posts|pages)$)}/new", AuthorsOnly()) with { UrlFor = _ => Task.FromResult("/admin/posts/new"), Fields = new() { ["Command"] = "save" } },
        EndpointRule.For("admin/{section:regex(^(posts|pages)$)}/{id:long}/edit", AuthorsOnly()) with { UrlFor = async v => $"/admin/posts/{await Data.PostAsync(v)}/edit", Fields = new() { ["Command"] = "save" } },
        EndpointRule.For("admin/{section:regex(^(posts|pages)$)}/{id:long}/delete", AuthorsOnly()) with { UrlFor = async v => $"/admin/posts/{await Data.PostAsync(v)}/delete" },
        EndpointRule.For("admin/{section:regex(^(posts|pages)$)}/{id:long}/revisions/{version:long}/restore", AuthorsOnly()) with { UrlFor = async v => $"/admin/posts/{await Data.PostWithRevisionAsync(v)}/revisions/1/restore", Fields = new() { ["currentVersion"] = "1" }, ChangesData = true },
        EndpointRule.For("admin/{section:regex(^(posts|pages)$)}/{id:long}/autosave", AuthorsOnly()) with { UrlFor = async v => $"/admin/posts/{await Data.PostAsync(v)}/autosave", Fields = new() { ["Version"] = "1", ["Title"] = "Typed", ["Body"] = "Typing" }, ChangesData = true },
        EndpointRule.For("admin/{section:regex(^(posts|pages)$)}/{id:long}/autosave/discard", AuthorsOnly()) with { UrlFor = async v => $"/admin/posts/{await Data.PostAsync(v)}/autosave/discard" },
        // The picture library: one library for the owner and the authors; a picture is re-described or deleted by
        // whoever uploaded it, or the owner. A form without a file is refused with a message (still "allowed" here);
        // the upload tests change data with real files.
        EndpointRule.Page("admin/media", AuthorsOnly()) with { Variant = "the library" },
        EndpointRule.For("admin/media", AuthorsOnly()) with { Fields = new() { ["altText"] = "A picture" } },
        EndpointRule.For("admin/media/{id:long}/alt", AuthorsOnly()) with { UrlFor = async v => $"/admin/media/{await Data.PictureAsync(v, Visitor.Author)}/alt", Fields = new() { ["altText"] = "Described " + Guid.NewGuid() }, ChangesData = true },
        EndpointRule.For("admin/media/{id:long}/alt", new(AuthorsOnly()) { [Visitor.Author] = Outcome.Forbidden }) with { Variant = "someone else's", UrlFor = async v => $"/admin/media/{await Data.PictureAsync(v, null)}/alt", Fields = new() { ["altText"] = "Described " + Guid.NewGuid() }, ChangesData = true },
        EndpointRule.Page("admin/media/{id:long}/delete", AuthorsOnly()) with { Variant = "the question", UrlFor = async v => $"/admin/media/{await Data.PictureAsync(v, Visitor.Author)}/delete" },
        EndpointRule.For("admin/media/{id:long}/delete", AuthorsOnly()) with { UrlFor = async v => $"/admin/media/{await Data.PictureAsync(v, Visitor.Author)}/delete", ChangesData = true },
        EndpointRule.For("admin/media/{id:long}/delete", new(AuthorsOnly()) { [Visitor.Author] = Outcome.Forbidden }) with { Variant = "someone else's", UrlFor = async v => $"/admin/media/{await Data.PictureAsync(v, null)}/delete", ChangesData = true },
        EndpointRule.For("admin/settings", OwnerOnly()),
        EndpointRule.For("admin/backup", OwnerOnly()),
        // Importing: the owner only. A form without a file is refused with a message (still "allowed" here); the
        // import tests upload real files.
        EndpointRule.Page("admin/import", OwnerOnly()) with { Variant = "the page" },
        EndpointRule.For("admin/import", OwnerOnly()) with { Fields = new() { ["dryRun"] = "true" } },
        EndpointRule.Page("admin/import/{id:long}", OwnerOnly()) with { UrlFor = async v => $"/admin/import/{await Data.ImportRunAsync(v)}" },
        EndpointRule.Page("admin/import/{id:long}/progress", OwnerOnly()) with { UrlFor = async v => $"/admin/import/{await Data.ImportRunAsync(v)}/progress" },
        EndpointRule.Page("admin/export", OwnerOnly()) with { Variant = "the page" },
        EndpointRule.For("admin/export", OwnerOnly()) with { Fields = new() { ["format"] = "wordpress" } },

        // Comments: members write and reply; the writer edits or deletes; the post's author or the owner removes.
        EndpointRule.For("comments", MembersOnly()) with { RequestFor = async v => ("/comments", new() { ["PostId"] = Id(await Data.PostAsync(v)), ["Body"] = "Hello" }), ChangesData = true },
        EndpointRule.For("comments", MembersOnly()) with { Variant = "a reply", RequestFor = Data.ReplyAsync, ChangesData = true },
        EndpointRule.For("comments/{id:long}/edit", WriterOfTheComment()) with { UrlFor = async v => $"/comments/{await Data.MembersCommentAsync(v)}/edit", Fields = new() { ["Body"] = "Edited" }, ChangesData = true },
        EndpointRule.For("comments/{id:long}/edit", SignedIn(Outcome.Forbidden)) with { Variant = "someone else's", UrlFor = async v => $"/comments/{await Data.AnotherMembersCommentAsync(v)}/edit", Fields = new() { ["Body"] = "Edited" } },
        EndpointRule.For("comments/{id:long}/delete", WriterOfTheComment()) with { UrlFor = async v => $"/comments/{await Data.MembersCommentAsync(v)}/delete", ChangesData = true },
        EndpointRule.For("comments/{id:long}/delete", SignedIn(Outcome.Forbidden)) with { Variant = "someone else's", UrlFor = async v => $"/comments/{await Data.AnotherMembersCommentAsync(v)}/delete" },
        EndpointRule.For("comments/{id:long}/remove", new(MembersOnly()) { [Visitor.Member] = Outcome.Forbidden }) with { UrlFor = async v => $"/comments/{await Data.MembersCommentAsync(v)}/remove", ChangesData = true },
        // Someone else's comment for everyone (reporting one's own is refused: see the moderation tests).
        EndpointRule.For("comments/{id:long}/report", MembersOnly()) with { UrlFor = async v => $"/comments/{await Data.AnotherMembersCommentAsync(v)}/report", Fields = new() { ["Reason"] = "Spam" }, ChangesData = true },
        EndpointRule.For("comments/unsubscribe", Everyone(Outcome.Allowed)) with { UrlFor = _ => Task.FromResult("/comments/unsubscribe?token=forged") },

        // Moderation queue: the owner only.
        EndpointRule.Page("admin/moderation", OwnerOnly()),
        // Reading statistics: the owner only.
        EndpointRule.Page("admin/stats", OwnerOnly()),
        EndpointRule.For("admin/moderation/approve", OwnerOnly()) with { RequestFor = async v => ("/admin/moderation/approve", new() { ["id"] = Id(await Data.HeldCommentAsync(v)) }), ChangesData = true },
        EndpointRule.For("admin/moderation/remove", OwnerOnly()) with { RequestFor = async v => ("/admin/moderation/remove", new() { ["ids"] = Id(await Data.AnotherMembersCommentAsync(v)) }), ChangesData = true },
        EndpointRule.For("admin/moderation/ban", OwnerOnly()) with { RequestFor = async v => ("/admin/moderation/ban", new() { ["memberId"] = await Data.NewMemberIdAsync(v) }), ChangesData = true },
        EndpointRule.For("admin/moderation/settings", OwnerOnly()) with { RequestFor = _ => Task.FromResult(Data.CommentSettingsForm()), ChangesData = true },
        // Links in the mail about a held comment: the link's secret is the authority, for anyone holding it, signed in or not.
        EndpointRule.For("moderation/{decision:regex(^(approve|reject)$)}", Everyone(Outcome.Allowed)) with { RequestFor = Data.MailLinkAsync, ChangesData = true },
        EndpointRule.For("moderation/{decision:regex(^(approve|reject)$)}", Everyone(Outcome.NotFound)) with { Variant = "a guessed secret", RequestFor = _ => Task.FromResult(("/moderation/approve", new Dictionary<string, string> { ["token"] = new string('A', 43) })) },
    ];

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Test data the URLs point at, made fresh for each request so one visitor's success cannot affect the next.</summary>
    private static class Data
    {
        public static async Task<string> ReaderIdAsync(VisitorsFixture visitors) =>
            (await BlogClient.CreateAccountAsync(visitors.App, MemberRole.Reader)).Id;

        /// <summary>A published post by the Author visitor, open for comments.</summary>
        public static Task<long> PostAsync(VisitorsFixture visitors) =>
            CommentTestData.CreatePostAsync(visitors.App, DateTime.UtcNow.AddHours(-1), visitors.Accounts[Visitor.Author].Id);

        /// <summary>A post by the Author visitor with its revision 1 kept, as a save through the editor would.</summary>
        public static async Task<long> PostWithRevisionAsync(VisitorsFixture visitors)
        {
            var postId = await PostAsync(visitors);
            await using var connection = visitors.App.OpenDatabase();
            await connection.ExecuteAsync("""
                INSERT INTO post_revisions (post_id, version, editor_id, created_at, title, subtitle, body)
                SELECT id, 1, author_id, updated_at, 'The first title', '', 'The first body' FROM posts WHERE id = @Id
                """, new { Id = postId });
            return postId;
        }

        /// <summary>A comment by the Member visitor on a post by the Author visitor.</summary>
        public static Task<long> MembersCommentAsync(VisitorsFixture visitors) => CommentByAsync(visitors, Visitor.Member);

        public static async Task<long> CommentByAsync(VisitorsFixture visitors, Visitor writer)
        {
            var postId = await PostAsync(visitors);
            return await CommentTestData.CommentIdAsync(visitors.ClientFor(writer), postId, $"A comment by the {writer} {Guid.NewGuid()}");
        }

        /// <summary>A comment by a member who is none of the visitors, on a post by the Author visitor.</summary>
        public static async Task<long> AnotherMembersCommentAsync(VisitorsFixture visitors)
        {
            var postId = await PostAsync(visitors);
            var (writer, _) = await BlogClient.SignedInAsync(visitors.App, MemberRole.Member);
            using (writer)
            {
                return await CommentTestData.CommentIdAsync(writer, postId, $"A comment by someone else {Guid.NewGuid()}");
            }
        }

        /// <summary>An imported comment written with each visitor's address, so that whoever claims has one to claim.</summary>
        public static async Task<string> ImportedCommentsForEveryoneAsync(VisitorsFixture visitors)
        {
            var postId = await PostAsync(visitors);
            await using var connection = visitors.App.OpenDatabase();
            foreach (var account in visitors.Accounts.Values)
            {
                await connection.ExecuteAsync("""
                    INSERT INTO comments (post_id, body_markdown, body_html, created_at, guest_name, guest_email)
                    VALUES (@PostId, 'Old', '<p>Old</p>', '2015-01-01 00:00:00.0000000', 'Old name', @Email)
                    """, new { PostId = postId, Email = account.NormalizedEmail });
            }
            return "/account/imported-comments/claim";
        }

        /// <summary>A reply to another member's comment.</summary>
        public static async Task<(string Url, Dictionary<string, string> Fields)> ReplyAsync(VisitorsFixture visitors)
        {
            var parentId = await AnotherMembersCommentAsync(visitors);
            var postId = CommentTestData.Scalar<long>(visitors.App, "SELECT post_id FROM comments WHERE id = @Id", new { Id = parentId });
            return ("/comments", new() { ["PostId"] = Id(postId), ["ParentId"] = Id(parentId), ["Body"] = "Hello back" });
        }

        /// <summary>A comment by the Member visitor, held for moderation.</summary>
        public static async Task<long> HeldCommentAsync(VisitorsFixture visitors)
        {
            var id = await MembersCommentAsync(visitors);
            CommentTestData.Execute(visitors.App, "UPDATE comments SET status = 'held' WHERE id = @Id", new { Id = id });
            return id;
        }

        /// <summary>A held comment's approve link as the owner's mail carries it: the path and its secret.</summary>
        public static async Task<(string Url, Dictionary<string, string> Fields)> MailLinkAsync(VisitorsFixture visitors)
        {
            var (path, token) = await MailLinkTestData.LinkForHeldCommentAsync(visitors.App, await MembersCommentAsync(visitors), visitors.Accounts[Visitor.Owner].Id);
            return (path, new() { ["token"] = token });
        }

        /// <summary>A library picture uploaded by the <paramref name="uploader"/> visitor, or by another author.</summary>
        public static async Task<long> PictureAsync(VisitorsFixture visitors, Visitor? uploader)
        {
            var uploaderId = uploader is { } visitor ? visitors.Accounts[visitor].Id : (await BlogClient.CreateAccountAsync(visitors.App, MemberRole.Author)).Id;
            return PictureSeeder.Insert(visitors.App, new PictureSeed { UploadedBy = uploaderId, UploadedAt = DateTime.UtcNow, AltText = "A seeded picture", WithFiles = false }).Id;
        }

        public static async Task<string> NewMemberIdAsync(VisitorsFixture visitors) =>
            (await BlogClient.CreateAccountAsync(visitors.App, MemberRole.Member)).Id;

        /// <summary>
        /// The comment settings as they start, but for closing comments after a new number of days (a thousand or
        /// more, so no post of this table closes, up to the form's limit): a change each time, and one no other row notices.
        /// </summary>
        public static (string Url, Dictionary<string, string> Fields) CommentSettingsForm() => ("/admin/moderation/settings", new()
        {
            ["Moderation"] = "Never", ["ModerateAfterDays"] = "14", ["TrustedAfterApproved"] = "0", ["HoldLinksAtLeast"] = "2", ["BlockedWords"] = "",
            ["CloseAfterDays"] = Random.Shared.Next(1000, 36_501).ToString(CultureInfo.InvariantCulture),
        });

        /// <summary>A finished import run (a row only: the importer is not part of these tests).</summary>
        public static async Task<long> ImportRunAsync(VisitorsFixture visitors)
        {
            await using var connection = visitors.App.OpenDatabase();
            return await connection.ExecuteScalarAsync<long>(
                "INSERT INTO import_runs (started_by, file_name, state, created_at, finished_at) VALUES (@Owner, 'export.xml', 'finished', '2026-01-01 00:00:00.0000000', '2026-01-01 00:01:00.0000000') RETURNING id",
                new { Owner = visitors.Accounts[Visitor.Owner].Id });
        }

        /// <summary>An app's token held by the <paramref name="holder"/> visitor, or by another author.</summary>
        public static async Task<long> AppTokenAsync(VisitorsFixture visitors, Visitor? holder)
        {
            var memberId = holder is { } visitor ? visitors.Accounts[visitor].Id : (await BlogClient.CreateAccountAsync(visitors.App, MemberRole.Author)).Id;
            var (_, row) = await visitors.App.Services.GetRequiredService<Blog.Web.Features.IndieAuth.AccessTokenStore>()
                .IssueAsync(memberId, "https://app.example/", "app.example", "create", lifetime: null, CancellationToken.None);
            return row.Id;
        }

        public static async Task<long> InvitationAsync(VisitorsFixture visitors)
        {
            await using var connection = visitors.App.OpenDatabase();
            return await connection.ExecuteScalarAsync<long>(
                "INSERT INTO invitations (token_hash, created_by, created_at, expires_at) VALUES (@Hash, @Owner, '2026-01-01 00:00:00.0000000', '2999-01-01 00:00:00.0000000') RETURNING id",
                new { Hash = Guid.NewGuid().ToString("N"), Owner = visitors.Accounts[Visitor.Owner].Id });
        }

        public static async Task<long> MembershipRequestAsync(VisitorsFixture visitors)
        {
            var reader = await ReaderIdAsync(visitors);
            await using var connection = visitors.App.OpenDatabase();
            return await connection.ExecuteScalarAsync<long>(
                "INSERT INTO membership_requests (member_id, created_at) VALUES (@Reader, '2026-01-01 00:00:00.0000000') RETURNING id",
                new { Reader = reader });
        }
    }

    public static TheoryData<string, Visitor> Cases()
    {
        var cases = new TheoryData<string, Visitor>();
        foreach (var rule in Rules.Where(r => !r.IsReadOnly && !r.IsTokenOnly))
        {
            foreach (var visitor in Enum.GetValues<Visitor>())
            {
                cases.Add(rule.Name, visitor);
            }
        }
        return cases;
    }

    [Fact]
    public void EveryUnsafeEndpointHasARule()
    {
        var mapped = visitors.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint =>
            {
                var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
                return methods is null || methods.Count == 0 || methods.Any(m => UnsafeMethods.Contains(m, StringComparer.OrdinalIgnoreCase));
            })
            .Select(endpoint => endpoint.RoutePattern.RawText!.TrimStart('/'))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        var ruled = Rules.Where(r => !r.IsPage).Select(r => r.Pattern).Distinct().ToList();
        var missing = mapped.Except(ruled).ToList();
        var stale = ruled.Except(mapped).ToList();

        Assert.True(missing.Count == 0, "Endpoints that change state but have no authorization rule: " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "Rules for endpoints the app no longer maps: " + string.Join(", ", stale));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EndpointAnswersEachVisitorAsTheTableSays(string rule, Visitor visitor)
    {
        var row = Rules.Single(r => r.Name == rule);
        var expected = row.Expected[visitor];
        using var freshClient = row.EndsSession ? await visitors.NewClientAsync(visitor) : null;
        var client = freshClient ?? visitors.ClientFor(visitor);
        var (url, fields) = await row.RequestAsync(visitors);
        var before = await DatabaseSnapshot.TakeAsync(visitors.App);

        using var response = row.IsPage
            ? await client.GetAsync(url)
            : await client.PostAsync(url, fields, visitor == Visitor.Anonymous ? "/account/sign-in" : "/");
        var outcome = Classify(response);
        var after = await DatabaseSnapshot.TakeAsync(visitors.App);

        Assert.True((int)response.StatusCode < 500, $"{(row.IsPage ? "GET" : "POST")} {url} as {visitor} answered {(int)response.StatusCode}");
        Assert.Equal(expected, outcome);
        if (outcome != Outcome.Allowed)
        {
            Assert.True(before == after, $"{(row.IsPage ? "GET" : "POST")} {url} as {visitor} was refused but changed: {DatabaseSnapshot.ChangedTables(before, after)}");
        }
        else if (row.ChangesData)
        {
            Assert.True(before != after, $"POST {url} as {visitor} was allowed but changed nothing.");
        }
        if (visitor == Visitor.Anonymous && outcome == Outcome.SignIn && !row.Pattern.StartsWith("account/sign-in/", StringComparison.Ordinal))
        {
            // Signing in brings the visitor back to what they were doing (the second sign-in steps start over instead).
            Assert.Contains("/account/sign-in?ReturnUrl=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(UnsafeRules))]
    public async Task PostWithoutAnAntiforgeryTokenIsRejectedAndChangesNothing(string rule)
    {
        var row = Rules.Single(r => r.Name == rule);
        using var owner = await visitors.NewClientAsync(Visitor.Owner);
        var (url, fields) = await row.RequestAsync(visitors);
        var before = await DatabaseSnapshot.TakeAsync(visitors.App);

        using var response = await owner.Http.PostAsync(url, new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(visitors.App));
    }

    public static TheoryData<string> UnsafeRules() => [.. Rules.Where(r => !r.IsReadOnly && !r.IsPage && !r.IsTokenOnly && !r.CalledByApps).Select(r => r.Name)];

    public static TheoryData<string, Visitor> TokenOnlyCases()
    {
        var cases = new TheoryData<string, Visitor>();
        foreach (var rule in Rules.Where(r => r.IsTokenOnly))
        {
            foreach (var visitor in Enum.GetValues<Visitor>())
            {
                cases.Add(rule.Name, visitor);
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(TokenOnlyCases))]
    public async Task TokenOnlyEndpointRefusesEveryBrowserCookieWith401(string rule, Visitor visitor)
    {
        var row = Rules.Single(r => r.Name == rule);
        var before = await DatabaseSnapshot.TakeAsync(visitors.App);

        using var response = await visitors.ClientFor(visitor).PostAsync("/" + row.Pattern,
            new Dictionary<string, string> { ["h"] = "entry", ["content"] = "From a browser" }, visitor == Visitor.Anonymous ? "/account/sign-in" : "/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(visitors.App));
    }

    private static Outcome Classify(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.Redirect or HttpStatusCode.Found when response.Headers.Location?.OriginalString.Contains("/account/sign-in", StringComparison.OrdinalIgnoreCase) == true => Outcome.SignIn,
        HttpStatusCode.Forbidden => Outcome.Forbidden,
        HttpStatusCode.NotFound => Outcome.NotFound,
        _ => Outcome.Allowed,
    };

    private static Dictionary<Visitor, Outcome> Everyone(Outcome outcome) =>
        Enum.GetValues<Visitor>().ToDictionary(v => v, _ => outcome);

    /// <summary>Members, authors and the owner are allowed; readers, revoked members and banned people get 403.</summary>
    internal static Dictionary<Visitor, Outcome> MembersOnly() => new()
    {
        [Visitor.Anonymous] = Outcome.SignIn,
        [Visitor.Reader] = Outcome.Forbidden,
        [Visitor.Member] = Outcome.Allowed,
        [Visitor.RevokedMember] = Outcome.Forbidden,
        [Visitor.Banned] = Outcome.Forbidden,
        [Visitor.Author] = Outcome.Allowed,
        [Visitor.Owner] = Outcome.Allowed,
    };

    /// <summary>Only the member who wrote the comment; other signed-in people get 403.</summary>
    internal static Dictionary<Visitor, Outcome> WriterOfTheComment() => new(MembersOnly())
    {
        [Visitor.Author] = Outcome.Forbidden,
        [Visitor.Owner] = Outcome.Forbidden,
    };

    internal static Dictionary<Visitor, Outcome> AuthorsOnly() => new(MembersOnly())
    {
        [Visitor.Member] = Outcome.Forbidden,
    };

    internal static Dictionary<Visitor, Outcome> OwnerOnly() => new(AuthorsOnly())
    {
        [Visitor.Author] = Outcome.Forbidden,
    };

    /// <summary>
    /// The same <paramref name="outcome"/> for anyone signed in, including readers and banned people (by default
    /// allowed: their own account); anonymous → sign in.
    /// </summary>
    internal static Dictionary<Visitor, Outcome> SignedIn(Outcome outcome = Outcome.Allowed) => new(Everyone(outcome))
    {
        [Visitor.Anonymous] = Outcome.SignIn,
    };
}

/// <summary>One row of the table: a route pattern, how to build a request for it, and the outcomes.</summary>
public sealed record EndpointRule(string Pattern, Dictionary<Visitor, Outcome> Expected)
{
    /// <summary>Tells apart two rows of one pattern, e.g. a reply beside a new comment.</summary>
    public string? Variant { get; init; }

    public string Name => Variant is null ? Pattern : $"{Pattern} ({Variant})";

    public Func<VisitorsFixture, Task<string>> UrlFor { get; init; } = _ => Task.FromResult("/" + Pattern);

    public Dictionary<string, string> Fields { get; init; } = [];

    /// <summary>Makes the data and the whole request, when the form (not only the URL) must name that data.</summary>
    public Func<VisitorsFixture, Task<(string Url, Dictionary<string, string> Fields)>>? RequestFor { get; init; }

    public async Task<(string Url, Dictionary<string, string> Fields)> RequestAsync(VisitorsFixture visitors) =>
        RequestFor is { } requestFor ? await requestFor(visitors) : (await UrlFor(visitors), Fields);

    public bool IsReadOnly { get; init; }

    /// <summary>Authenticated by an app's access token alone: cookies count for nothing there, antiforgery tokens neither.</summary>
    public bool IsTokenOnly { get; init; }

    /// <summary>A page (GET) only some visitors may see, rather than an endpoint that changes state.</summary>
    public bool IsPage { get; init; }

    /// <summary>An allowed request must change the database; otherwise the row proves nothing.</summary>
    public bool ChangesData { get; init; }

    /// <summary>
    /// Called by other apps, never by the blog's own forms: no antiforgery token is asked for, because the request
    /// proves itself (an authorization code with its verifier, or a token) and cookies grant nothing there.
    /// </summary>
    public bool CalledByApps { get; init; }

    /// <summary>The request signs the visitor out (or similar): use a throwaway client.</summary>
    public bool EndsSession { get; init; }

    public static EndpointRule For(string pattern, Dictionary<Visitor, Outcome> expected) => new(pattern, expected);

    public static EndpointRule ReadOnly(string pattern) => new(pattern, []) { IsReadOnly = true };

    public static EndpointRule TokenOnly(string pattern) => new(pattern, []) { IsTokenOnly = true };

    public static EndpointRule Page(string pattern, Dictionary<Visitor, Outcome> expected) => new(pattern, expected) { IsPage = true };
}
