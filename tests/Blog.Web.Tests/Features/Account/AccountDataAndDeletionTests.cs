using System.Net;
using System.Text.Json;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Account;

public sealed class AccountDataAndDeletionTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    [Fact]
    public async Task DataDownloadIsAJsonAttachmentWithTheProfileAndNoSecrets()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var _ = client;

        using var response = await client.SubmitFormAsync("/account/data", new Dictionary<string, string> { ["Form.Password"] = BlogClient.Password });
        var json = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(json);
        var profile = document.RootElement.GetProperty("profile");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.EndsWith(".json", response.Content.Headers.ContentDisposition.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName, StringComparison.Ordinal);
        Assert.Equal(member.DisplayName, profile.GetProperty("displayName").GetString());
        Assert.Equal(member.Email, profile.GetProperty("email").GetString());
        Assert.Equal("author", profile.GetProperty("role").GetString());
        Assert.False(profile.GetProperty("twoFactorEnabled").GetBoolean());
        Assert.True(profile.TryGetProperty("createdAt", out var _));
        using var scope = app.Services.CreateScope();
        var stored = (await scope.ServiceProvider.GetRequiredService<UserManager<Member>>().FindByIdAsync(member.Id))!;
        foreach (var secret in new[] { stored.PasswordHash, stored.SecurityStamp, stored.ConcurrencyStamp })
        {
            Assert.DoesNotContain(secret!, json, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("passwordHash", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("stamp", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("authenticatorKey", json, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not the password")]
    public async Task DownloadingTheDataNeedsThePassword(string password)
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var _ = client;

        using var response = await client.SubmitFormAsync("/account/data", new Dictionary<string, string> { ["Form.Password"] = password });
        var html = await response.Content.ReadAsStringAsync();
        var page = BlogClient.Parse(html);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Null(response.Content.Headers.ContentDisposition);
        Assert.Contains(password == "" ? "Enter your password" : "isn't your password",
            page.QuerySelector("span[data-valmsg-for='Form.Password']")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(member.Email!, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletingWithoutAPasswordChangesNothing()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var _ = client;

        using var response = await client.SubmitFormAsync("/account/delete", new Dictionary<string, string> { ["Password"] = "" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Enter your password", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
        Assert.NotNull(await FindAsync(member.Id));
        Assert.NotNull((await client.GetPageAsync("/")).QuerySelector(".signed-in-as"));
    }

    [Fact]
    public async Task WrongPasswordsOnTheAccountFormsCountTowardsTheLockout()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var _ = client;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var __ = await client.SubmitFormAsync("/account/data", new Dictionary<string, string> { ["Form.Password"] = "a guess " + attempt });
        }

        using var right = await client.SubmitFormAsync("/account/delete", new Dictionary<string, string> { ["Password"] = BlogClient.Password });
        using var elsewhere = new BlogClient(app);
        using var signIn = await elsewhere.SubmitFormAsync("/account/sign-in", new Dictionary<string, string> { ["Email"] = member.Email!, ["Password"] = BlogClient.Password });

        Assert.Contains("Too many wrong passwords", await BlogClient.TextOfAsync(right), StringComparison.Ordinal);
        Assert.NotNull(await FindAsync(member.Id));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task DeletingNeedsThePasswordThenTheAccountIsGoneAndSignInFails()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var _ = client;

        using var wrong = await client.SubmitFormAsync("/account/delete", new Dictionary<string, string> { ["Password"] = "not the password" });
        var stillThere = await FindAsync(member.Id);
        using var deleted = await client.SubmitFormAsync("/account/delete", new Dictionary<string, string> { ["Password"] = BlogClient.Password });
        var home = await client.GetPageAsync("/");
        using var other = new BlogClient(app);
        using var signIn = await other.SubmitFormAsync("/account/sign-in", new Dictionary<string, string> { ["Email"] = member.Email!, ["Password"] = BlogClient.Password });

        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("isn't your password", await BlogClient.TextOfAsync(wrong), StringComparison.Ordinal);
        Assert.NotNull(stillThere);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Contains("Account deleted", await BlogClient.TextOfAsync(deleted), StringComparison.Ordinal);
        Assert.Null(await FindAsync(member.Id));
        Assert.Null(home.QuerySelector(".signed-in-as"));
        Assert.Contains("don't match an account", await BlogClient.TextOfAsync(signIn), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOnlyOwnerCannotDeleteTheirAccountButOneOfTwoOwnersCan()
    {
        using (var db = app.OpenDatabase())
        {
            using var clear = db.CreateCommand();
            clear.CommandText = "UPDATE members SET role = 'member' WHERE role = 'owner'";
            clear.ExecuteNonQuery();
        }
        var (owner, ownerMember) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var _ = owner;

        using var refused = await owner.SubmitFormAsync("/account/delete", new Dictionary<string, string> { ["Password"] = BlogClient.Password });
        var afterRefusal = await FindAsync(ownerMember.Id);
        await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        using var allowed = await owner.SubmitFormAsync("/account/delete", new Dictionary<string, string> { ["Password"] = BlogClient.Password });

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("only owner", await BlogClient.TextOfAsync(refused), StringComparison.Ordinal);
        Assert.NotNull(afterRefusal);
        Assert.Contains("Account deleted", await BlogClient.TextOfAsync(allowed), StringComparison.Ordinal);
        Assert.Null(await FindAsync(ownerMember.Id));
    }

    private async Task<Member?> FindAsync(string id)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<Member>>().FindByIdAsync(id);
    }
}
