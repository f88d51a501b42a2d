using Dapper;
using System.Net;
using Blog.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Security;

/// <summary>
/// Every endpoint the app maps that can change state is listed here with who may call it. A new endpoint
/// that is not in the table fails <see cref="EveryUnsafeEndpointHasARule"/>, so nothing slips in unguarded.
/// Each refused request must leave the database exactly as it was.
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
        EndpointRule.For("admin/settings", OwnerOnly()),
        EndpointRule.For("admin/backup", OwnerOnly()),

        // Comments: members write; the writer edits or deletes; the post's author or the owner removes.
        EndpointRule.For("comments", MembersOnly()) with { UrlFor = async v => $"/comments?postId={await Data.PostAsync(v)}", FieldsFor = url => new() { ["PostId"] = url.Split('=')[1], ["Body"] = "Hello" } },
        EndpointRule.For("comments/{id:long}/edit", WriterOfTheComment()) with { UrlFor = async v => $"/comments/{await Data.MembersCommentAsync(v)}/edit", Fields = new() { ["Body"] = "Edited" } },
        EndpointRule.For("comments/{id:long}/delete", WriterOfTheComment()) with { UrlFor = async v => $"/comments/{await Data.MembersCommentAsync(v)}/delete" },
        EndpointRule.For("comments/{id:long}/remove", new(MembersOnly()) { [Visitor.Member] = Outcome.Forbidden }) with { UrlFor = async v => $"/comments/{await Data.MembersCommentAsync(v)}/remove" },
        // Someone else's comment for the member: reporting one's own is refused whatever one's role.
        EndpointRule.For("comments/{id:long}/report", MembersOnly()) with { UrlFor = async v => $"/comments/{await Data.CommentByAsync(v, Visitor.Author)}/report", Fields = new() { ["Reason"] = "Spam" } },
        EndpointRule.For("comments/unsubscribe", Everyone(Outcome.Allowed)) with { UrlFor = _ => Task.FromResult("/comments/unsubscribe?token=forged") },

        // Moderation queue: the owner only.
        EndpointRule.For("admin/moderation/approve", OwnerOnly()),
        EndpointRule.For("admin/moderation/remove", OwnerOnly()),
        EndpointRule.For("admin/moderation/ban", OwnerOnly()),
        EndpointRule.For("admin/moderation/settings", OwnerOnly()),
    ];

    /// <summary>Test data the URLs point at, made fresh for each request so one visitor's success cannot affect the next.</summary>
    private static class Data
    {
        public static async Task<string> ReaderIdAsync(VisitorsFixture visitors) =>
            (await BlogClient.CreateAccountAsync(visitors.App, Blog.Web.Identity.MemberRole.Reader)).Id;

        /// <summary>A published post by the Author visitor, open for comments.</summary>
        public static Task<long> PostAsync(VisitorsFixture visitors) =>
            CommentTestData.CreatePostAsync(visitors.App, DateTime.UtcNow.AddHours(-1), visitors.Accounts[Visitor.Author].Id);

        /// <summary>A comment by the Member visitor on a post by the Author visitor.</summary>
        public static Task<long> MembersCommentAsync(VisitorsFixture visitors) => CommentByAsync(visitors, Visitor.Member);

        public static async Task<long> CommentByAsync(VisitorsFixture visitors, Visitor writer)
        {
            var postId = await PostAsync(visitors);
            return await CommentTestData.CommentIdAsync(visitors.ClientFor(writer), postId, $"A comment by the {writer} {Guid.NewGuid()}");
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
        foreach (var rule in Rules.Where(r => !r.IsReadOnly))
        {
            foreach (var visitor in Enum.GetValues<Visitor>())
            {
                cases.Add(rule.Pattern, visitor);
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

        var missing = mapped.Except(Rules.Select(r => r.Pattern)).ToList();
        var stale = Rules.Select(r => r.Pattern).Except(mapped).ToList();

        Assert.True(missing.Count == 0, "Endpoints that change state but have no authorization rule: " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "Rules for endpoints the app no longer maps: " + string.Join(", ", stale));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task UnsafeEndpointAnswersEachVisitorAsTheTableSays(string pattern, Visitor visitor)
    {
        var rule = Rules.Single(r => r.Pattern == pattern);
        var expected = rule.Expected[visitor];
        using var freshClient = rule.EndsSession ? await visitors.NewClientAsync(visitor) : null;
        var client = freshClient ?? visitors.ClientFor(visitor);
        var url = await rule.UrlFor(visitors);
        var before = await DatabaseSnapshot.TakeAsync(visitors.App);

        using var response = await client.PostAsync(url, rule.FormFor(url), visitor == Visitor.Anonymous ? "/account/sign-in" : "/");
        var outcome = Classify(response);

        Assert.True((int)response.StatusCode < 500, $"POST {url} as {visitor} answered {(int)response.StatusCode}");
        Assert.Equal(expected, outcome);
        if (outcome != Outcome.Allowed)
        {
            Assert.Equal(before, await DatabaseSnapshot.TakeAsync(visitors.App));
        }
    }

    [Theory]
    [MemberData(nameof(UnsafePatterns))]
    public async Task PostWithoutAnAntiforgeryTokenIsRejectedAndChangesNothing(string pattern)
    {
        var rule = Rules.Single(r => r.Pattern == pattern);
        using var owner = await visitors.NewClientAsync(Visitor.Owner);
        var url = await rule.UrlFor(visitors);
        var before = await DatabaseSnapshot.TakeAsync(visitors.App);

        using var response = await owner.Http.PostAsync(url, new FormUrlEncodedContent(rule.FormFor(url)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(visitors.App));
    }

    public static TheoryData<string> UnsafePatterns() => [.. Rules.Where(r => !r.IsReadOnly).Select(r => r.Pattern)];

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

    /// <summary>Anyone signed in, including readers and banned people (their own account); anonymous → sign in.</summary>
    internal static Dictionary<Visitor, Outcome> SignedIn() => new(Everyone(Outcome.Allowed))
    {
        [Visitor.Anonymous] = Outcome.SignIn,
    };
}

/// <summary>One row of the table: a route pattern, how to build a URL for it, the form to send, and the outcomes.</summary>
public sealed record EndpointRule(string Pattern, Dictionary<Visitor, Outcome> Expected)
{
    public Func<VisitorsFixture, Task<string>> UrlFor { get; init; } = _ => Task.FromResult("/" + Pattern);

    public Dictionary<string, string> Fields { get; init; } = [];

    /// <summary>Builds the form from the URL <see cref="UrlFor"/> made, when the form must name the same data.</summary>
    public Func<string, Dictionary<string, string>>? FieldsFor { get; init; }

    public Dictionary<string, string> FormFor(string url) => FieldsFor?.Invoke(url) ?? Fields;

    public bool IsReadOnly { get; init; }

    /// <summary>The request signs the visitor out (or similar): use a throwaway client.</summary>
    public bool EndsSession { get; init; }

    public static EndpointRule For(string pattern, Dictionary<Visitor, Outcome> expected) => new(pattern, expected);

    public static EndpointRule ReadOnly(string pattern) => new(pattern, []) { IsReadOnly = true };
}
