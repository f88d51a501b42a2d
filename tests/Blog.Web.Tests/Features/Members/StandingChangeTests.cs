using System.Net;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Members;

/// <summary>
/// Every change of someone's standing (ban, unban, role, a membership request answered) is written with SQL, while
/// an account update through UserManager writes every column of the person it loaded. The change must rotate the
/// concurrency stamp, so an update loaded before it fails instead of writing the old standing back.
/// </summary>
public sealed class StandingChangeTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    public static TheoryData<string> Changes() =>
        ["ban from the moderation page", "ban from the members page", "unban", "make author", "revoke membership", "approve request", "decline request"];

    private (string Role, string? BannedAt) StandingOf(string id)
    {
        using var db = app.OpenDatabase();
        return db.QuerySingle<(string, string?)>("SELECT role, banned_at FROM members WHERE id = @Id;", new { Id = id });
    }

    private async Task<Member> PersonBeforeAsync(string change)
    {
        var person = await BlogClient.CreateAccountAsync(app, change is "approve request" or "decline request" ? MemberRole.Reader : MemberRole.Member);
        if (change == "unban")
        {
            using var scope = app.Services.CreateScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<Member>>();
            var stored = (await users.FindByIdAsync(person.Id))!;
            stored.BannedAt = DateTime.UtcNow;
            Assert.True((await users.UpdateAsync(stored)).Succeeded);
        }
        return person;
    }

    private async Task<HttpResponseMessage> ChangeAsync(BlogClient owner, string change, string id)
    {
        if (change is "approve request" or "decline request")
        {
            using var db = app.OpenDatabase();
            var requestId = db.ExecuteScalar<long>(
                "INSERT INTO membership_requests (member_id, created_at) VALUES (@Id, '2026-01-01 00:00:00.0000000') RETURNING id;", new { Id = id });
            return await owner.PostAsync($"/admin/members/requests/{requestId}/{change.Split(' ')[0]}", new Dictionary<string, string>());
        }
        return change switch
        {
            "ban from the moderation page" => await owner.PostAsync("/admin/moderation/ban", new Dictionary<string, string> { ["memberId"] = id }),
            "ban from the members page" => await owner.PostAsync($"/admin/members/{id}/ban", new Dictionary<string, string>()),
            "unban" => await owner.PostAsync($"/admin/members/{id}/unban", new Dictionary<string, string>()),
            "make author" => await owner.PostAsync($"/admin/members/{id}/role", new Dictionary<string, string> { ["role"] = "author" }),
            _ => await owner.PostAsync($"/admin/members/{id}/role", new Dictionary<string, string> { ["role"] = "reader" }),
        };
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task AnAccountUpdateLoadedBeforeTheChangeFailsAndCannotUndoIt(string change)
    {
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var __ = owner;
        var person = await PersonBeforeAsync(change);
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Member>>();
        var stale = (await users.FindByIdAsync(person.Id))!;

        using var response = await ChangeAsync(owner, change, person.Id);
        var changed = StandingOf(person.Id);
        stale.DisplayName = "Written from a stale copy";
        var staleUpdate = await users.UpdateAsync(stale);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(staleUpdate.Succeeded);
        Assert.Equal(nameof(IdentityErrorDescriber.ConcurrencyFailure), Assert.Single(staleUpdate.Errors).Code);
        Assert.Equal(changed, StandingOf(person.Id));
        Assert.Equal(change switch
        {
            "ban from the moderation page" or "ban from the members page" => ("member", true),
            "unban" => ("member", false),
            "make author" => ("author", false),
            "approve request" => ("member", false),
            _ => ("reader", false),
        }, (changed.Role, changed.BannedAt is not null));
    }

    [Theory]
    [InlineData("ban from the moderation page")]
    [InlineData("ban from the members page")]
    public async Task ABanEndsTheBannedPersonsSessionsAtOnce(string change)
    {
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var __ = owner;
        var (banned, person) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var ___ = banned;
        var before = await banned.GetPageAsync("/");

        using var ban = await ChangeAsync(owner, change, person.Id);
        var after = await banned.GetPageAsync("/");
        using var account = await banned.GetAsync("/account");

        Assert.NotNull(before.QuerySelector(".signed-in-as"));
        Assert.Equal(HttpStatusCode.Redirect, ban.StatusCode);
        Assert.Null(after.QuerySelector(".signed-in-as"));
        Assert.NotEqual(HttpStatusCode.OK, account.StatusCode);
    }
}
