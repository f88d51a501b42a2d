using System.Net;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;

namespace Blog.Web.Tests.Features.Members;

public sealed class MembersAdminTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    private (string Role, string? BannedAt) StateOf(string memberId)
    {
        using var db = app.OpenDatabase();
        return db.QuerySingle<(string, string?)>("SELECT role, banned_at FROM members WHERE id = @Id;", new { Id = memberId });
    }

    [Fact]
    public async Task RevokingMembershipTakesEffectOnTheMembersNextRequest()
    {
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        var (member, person) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        var before = await OwnerActions.MembershipTextAsync(member);

        using var revoked = await owner.PostAsync($"/admin/members/{person.Id}/role", new Dictionary<string, string> { ["role"] = "reader" });
        var after = await OwnerActions.MembershipTextAsync(member);

        Assert.Contains("You are a member", before, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.DoesNotContain("You are a member", after, StringComparison.Ordinal);
        Assert.Equal("reader", StateOf(person.Id).Role);
        owner.Dispose();
        member.Dispose();
    }

    [Fact]
    public async Task MakingSomeoneAnAuthorAndBackWorksThroughThePageButtons()
    {
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        var person = await BlogClient.CreateAccountAsync(app, MemberRole.Member, displayName: $"Promote {Guid.NewGuid():N}");
        var search = $"/admin/members?q={Uri.EscapeDataString(person.DisplayName)}";

        using var promoted = await owner.SubmitFormAsync(search, new Dictionary<string, string>(), $"form[action$='/{person.Id}/role']");
        var promotedRole = StateOf(person.Id).Role;
        using var demoted = await owner.SubmitFormAsync(search, new Dictionary<string, string>(), $"form[action$='/{person.Id}/role']");

        Assert.Equal("author", promotedRole);
        Assert.Equal("member", StateOf(person.Id).Role);
        owner.Dispose();
    }

    [Fact]
    public async Task BanningSignsThePersonOutAndUnbanningLetsThemBackIn()
    {
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        var (author, person) = await BlogClient.SignedInAsync(app, MemberRole.Author);

        using var banned = await owner.PostAsync($"/admin/members/{person.Id}/ban", new Dictionary<string, string>());
        var whileBanned = await author.GetPageAsync("/");
        using var freshSignIn = await new BlogClient(app).SubmitFormAsync("/account/sign-in",
            new Dictionary<string, string> { ["Email"] = person.Email!, ["Password"] = BlogClient.Password });
        using var unbanned = await owner.PostAsync($"/admin/members/{person.Id}/unban", new Dictionary<string, string>());
        using var again = new BlogClient(app);
        await again.SignInAsync(person.Email!);
        var afterUnban = await OwnerActions.MembershipTextAsync(again);

        Assert.Equal(HttpStatusCode.Redirect, banned.StatusCode);
        Assert.Null(whileBanned.QuerySelector(".signed-in-as"));
        Assert.Contains("has been banned", await BlogClient.TextOfAsync(freshSignIn), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, unbanned.StatusCode);
        Assert.Contains("You are a member", afterUnban, StringComparison.Ordinal);
        Assert.Equal(("author", null), StateOf(person.Id));
        owner.Dispose();
        author.Dispose();
    }

    [Theory]
    [InlineData("ban", "")]
    [InlineData("role", "reader")]
    public async Task TheOwnerCannotBanOrDemoteThemselves(string action, string role)
    {
        var (owner, me) = await BlogClient.SignedInAsync(app, MemberRole.Owner);

        using var response = await owner.PostAsync($"/admin/members/{me.Id}/{action}", new Dictionary<string, string> { ["role"] = role });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("owner", null), StateOf(me.Id));
        owner.Dispose();
    }

    [Fact]
    public async Task AnotherOwnerAccountCannotBeChangedFromThePage()
    {
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        var other = await BlogClient.CreateAccountAsync(app, MemberRole.Owner);

        using var response = await owner.PostAsync($"/admin/members/{other.Id}/ban", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(("owner", null), StateOf(other.Id));
        owner.Dispose();
    }

    [Theory]
    [InlineData("owner")]
    [InlineData("Member")]
    [InlineData("banned")]
    [InlineData("")]
    public async Task OnlyTheRolesThePageOffersCanBeGiven(string role)
    {
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        var person = await BlogClient.CreateAccountAsync(app, MemberRole.Member);

        using var response = await owner.PostAsync($"/admin/members/{person.Id}/role", new Dictionary<string, string> { ["role"] = role });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("isn't a role the Members page can give", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
        Assert.Equal(("member", null), StateOf(person.Id));
        owner.Dispose();
    }

    [Fact]
    public async Task MembersAreSearchableByNameOrEmailAndPaged()
    {
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        var tag = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 27; i++)
        {
            await BlogClient.CreateAccountAsync(app, MemberRole.Member, $"{tag}-{i}@example.test", $"Paged person {i}");
        }
        var byName = await BlogClient.CreateAccountAsync(app, MemberRole.Reader, displayName: $"Zed {tag} 100%_");

        var first = await owner.GetPageAsync($"/admin/members?q={tag}");
        var second = await owner.GetPageAsync($"/admin/members?q={tag}&page=2");
        var literal = await owner.GetPageAsync($"/admin/members?q={Uri.EscapeDataString("100%_")}");
        var none = await owner.GetPageAsync("/admin/members?q=nobody-matches-this");

        Assert.Equal(25, first.QuerySelectorAll("#people-heading ~ .members-list > li").Length);
        Assert.Equal(3, second.QuerySelectorAll("#people-heading ~ .members-list > li").Length);
        Assert.Contains("People (28)", first.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Page 2 of 2", second.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains(byName.DisplayName, literal.Body!.TextContent, StringComparison.Ordinal);
        Assert.Single(literal.QuerySelectorAll("#people-heading ~ .members-list > li"));
        Assert.Contains("No one matches", none.Body!.TextContent, StringComparison.Ordinal);
        owner.Dispose();
    }

    [Fact]
    public async Task AnInvalidInvitationEmailIsShownAgainWithAnError()
    {
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var db = app.OpenDatabase();
        var before = db.ExecuteScalar<long>("SELECT COUNT(*) FROM invitations;");

        using var response = await owner.SubmitFormAsync("/admin/members", new Dictionary<string, string> { ["invitationEmail"] = "not an email" }, "form.members-invite");
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("not an email", page.QuerySelector("#invitationEmail")!.GetAttribute("value"));
        Assert.Contains("doesn't look like an email", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(before, db.ExecuteScalar<long>("SELECT COUNT(*) FROM invitations;"));
        owner.Dispose();
    }

    public static TheoryData<string, string> ActionsAndPeople()
    {
        string[] actions = ["role:member", "role:author", "role:reader", "ban", "unban", "approve", "decline", "invite", "revoke-invitation", "mode", "list"];
        string[] people = ["anonymous", "reader", "member", "author", "banned"];
        var data = new TheoryData<string, string>();
        foreach (var action in actions)
        {
            foreach (var person in people)
            {
                data.Add(action, person);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ActionsAndPeople))]
    public async Task EveryMembersPageActionIsRefusedToAnyoneButTheOwner(string action, string who)
    {
        var owner = await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        var target = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        using var db = app.OpenDatabase();
        db.Execute("INSERT INTO membership_requests (member_id, message, created_at) VALUES (@Id, '', '2026-01-01 00:00:00.0000000');", new { target.Id });
        var requestId = db.ExecuteScalar<long>("SELECT id FROM membership_requests WHERE member_id = @Id;", new { target.Id });
        db.Execute("""
            INSERT INTO invitations (token_hash, created_by, created_at, expires_at)
            VALUES (@Hash, @Owner, '2026-01-01 00:00:00.0000000', '2999-01-01 00:00:00.0000000');
            """, new { Hash = Guid.NewGuid().ToString("N"), Owner = owner.Id });
        var invitationId = db.ExecuteScalar<long>("SELECT MAX(id) FROM invitations;");
        string Snapshot() => string.Join("|",
            db.ExecuteScalar<string>("SELECT role || coalesce(CAST(banned_at AS text), '-') FROM members WHERE id = @Id;", new { target.Id }),
            db.ExecuteScalar<string>("SELECT coalesce(decision, 'open') FROM membership_requests WHERE id = @Id;", new { Id = requestId }),
            db.ExecuteScalar<string>("SELECT coalesce(CAST(revoked_at AS text), 'live') FROM invitations WHERE id = @Id;", new { Id = invitationId }),
            db.ExecuteScalar<long>("SELECT COUNT(*) FROM invitations;"),
            db.ExecuteScalar<long>("SELECT COUNT(*) FROM site_settings;"));
        var before = Snapshot();
        using var client = await ClientForAsync(who);
        var (url, fields) = action switch
        {
            "ban" or "unban" => ($"/admin/members/{target.Id}/{action}", new Dictionary<string, string>()),
            "approve" or "decline" => ($"/admin/members/requests/{requestId}/{action}", new Dictionary<string, string>()),
            "invite" => ("/admin/members/invitations", new Dictionary<string, string> { ["invitationEmail"] = "x@example.test" }),
            "revoke-invitation" => ($"/admin/members/invitations/{invitationId}/revoke", new Dictionary<string, string>()),
            "mode" => ("/admin/members/mode", new Dictionary<string, string> { ["mode"] = "Open" }),
            "list" => ("/admin/members", []),
            _ => ($"/admin/members/{target.Id}/role", new Dictionary<string, string> { ["role"] = action.Split(':')[1] }),
        };

        using var response = action == "list"
            ? await client.GetAsync(url)
            : await client.PostAsync(url, fields, who == "anonymous" ? "/account/sign-in" : "/membership");

        if (who == "anonymous")
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/account/sign-in", new Uri(app.Server.BaseAddress, response.Headers.Location!).AbsolutePath);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        Assert.Equal(before, Snapshot());
    }

    private async Task<BlogClient> ClientForAsync(string who)
    {
        if (who == "anonymous")
        {
            return new BlogClient(app);
        }
        var role = who switch
        {
            "member" => MemberRole.Member,
            "author" => MemberRole.Author,
            _ => MemberRole.Reader,
        };
        var (client, person) = await BlogClient.SignedInAsync(app, role);
        if (who == "banned")
        {
            // Banned after signing in: the session stays, carrying only the "banned" role.
            using var db = app.OpenDatabase();
            db.Execute("UPDATE members SET banned_at = '2026-01-01 00:00:00.0000000' WHERE id = @Id;", new { person.Id });
        }
        return client;
    }
}
