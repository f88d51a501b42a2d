using System.Net;
using Blog.Web.Features.IndieAuth;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using static Blog.Web.Tests.Features.IndieAuth.IndieAuthTestApp;

namespace Blog.Web.Tests.Features.IndieAuth;

/// <summary>The account's list of apps: what each may do, and disconnecting one, which stops its token at once.</summary>
public sealed class AppsPageTests(IndieAuthAppFactory app) : IClassFixture<IndieAuthAppFactory>
{
    private AccessTokenStore Tokens => app.Services.GetRequiredService<AccessTokenStore>();

    [Fact]
    public async Task TheListShowsEachAppAndDisconnectingOneStopsItsToken()
    {
        var (author, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;
        var token = await TokenAsync(app, author, "create media");
        await Tokens.FindActiveAsync(token, CancellationToken.None);

        var page = await author.GetPageAsync("/account/apps");
        var row = Assert.Single(page.QuerySelectorAll("table.app-list tbody tr"));
        using var revoked = await author.SubmitFormAsync("/account/apps", new Dictionary<string, string>(), "table.app-list form");
        var after = await author.GetPageAsync("/account/apps");

        Assert.Contains("app.example", row.TextContent, StringComparison.Ordinal);
        Assert.Contains(ClientId, row.TextContent, StringComparison.Ordinal);
        Assert.Contains("create, media", row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("never", row.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Null(await Tokens.FindActiveAsync(token, CancellationToken.None));
        Assert.Empty(after.QuerySelectorAll("table.app-list tbody tr"));
        Assert.Contains("disconnected", after.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NobodyCanDisconnectSomeoneElsesApp()
    {
        var (author, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var (other, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var signedIn = author;
        using var otherSignedIn = other;
        var token = await TokenAsync(app, author, "create");
        var id = (await Tokens.FindActiveAsync(token, CancellationToken.None))!.Id;

        using var response = await other.PostAsync($"/account/apps/{id}/revoke", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotNull(await Tokens.FindActiveAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task TheDataDownloadListsTheAppsButNeverATokenOrCode()
    {
        var (author, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;
        var token = await TokenAsync(app, author, "update");
        using (var db = app.OpenDatabase())
        {
            Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM indieauth_tokens WHERE token_hash = @Hash", new { Hash = AccessTokenStore.Hash(token) }));
        }

        using var export = await author.DownloadAccountDataAsync();

        var apps = Assert.Single(export.RootElement.GetProperty("apps").EnumerateArray());
        Assert.Equal(ClientId, apps.GetProperty("clientId").GetString());
        Assert.Equal("update", apps.GetProperty("scope").GetString());
        var approval = Assert.Single(export.RootElement.GetProperty("appApprovals").EnumerateArray());
        Assert.Equal(RedirectUri, approval.GetProperty("redirectUri").GetString());
        Assert.DoesNotContain(token, export.RootElement.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(AccessTokenStore.Hash(token), export.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletingTheAccountDeletesItsTokensAndCodes()
    {
        var (author, member) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;
        var token = await TokenAsync(app, author, "create");
        await CodeAsync(author, "create");

        using var deleted = await author.SubmitFormAsync("/account/delete", new Dictionary<string, string> { ["Password"] = BlogClient.Password });

        using var db = app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM indieauth_tokens WHERE member_id = @Id", new { member.Id }));
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM indieauth_codes WHERE member_id = @Id", new { member.Id }));
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM members WHERE id = @Id", new { member.Id }));
        Assert.Null(await Tokens.FindActiveAsync(token, CancellationToken.None));
    }
}
