using System.Net;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Account;

public sealed class ManageAccountTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    private async Task<Member> ReloadAsync(string id)
    {
        using var scope = app.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<Member>>().FindByIdAsync(id))!;
    }

    private static async Task<bool> IsSignedInAsync(BlogClient client) =>
        (await client.GetPageAsync("/")).QuerySelector(".signed-in-as") is not null;

    [Theory]
    [InlineData(MemberRole.Reader, "not yet a member")]
    [InlineData(MemberRole.Member, "member")]
    [InlineData(MemberRole.Owner, "owner of the blog")]
    public async Task AccountPageShowsNameEmailAndRole(MemberRole role, string described)
    {
        var (client, member) = await BlogClient.SignedInAsync(app, role);
        using var _ = client;

        var page = await client.GetPageAsync("/account");
        var summary = page.QuerySelector(".account-summary")!.TextContent;

        Assert.Contains(member.DisplayName, summary, StringComparison.Ordinal);
        Assert.Contains(member.Email!, summary, StringComparison.Ordinal);
        Assert.Contains(described, summary, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("a[href='/account/two-factor']"));
        Assert.NotNull(page.QuerySelector("a[href='/account/delete']"));
    }

    [Fact]
    public async Task BannedPeopleCanStillManageTheirAccount()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var _ = client;
        using (var db = app.OpenDatabase())
        {
            db.Execute("UPDATE members SET banned_at = @BannedAt WHERE id = @Id",
                new { BannedAt = TestDatabase.StoredTime(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)), member.Id });
        }

        var page = await client.GetPageAsync("/account");

        Assert.Contains("banned", page.QuerySelector(".account-summary")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisplayNameIsTrimmedSavedAndRenderedEncoded()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var _ = client;

        using var saved = await client.SubmitFormAsync("/account/display-name", new Dictionary<string, string> { ["DisplayName"] = "  <b>Ada</b> & co  " });
        using var accountPage = await client.GetAsync("/account");
        var html = await accountPage.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("<b>Ada</b> & co", (await ReloadAsync(member.Id)).DisplayName);
        Assert.Contains("&lt;b&gt;Ada&lt;/b&gt; &amp; co", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Ada</b>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("   ", "Enter the name")]
    [InlineData("This display name is far too long to show next to a comment, really", "characters or fewer")]
    public async Task BadDisplayNamesAreRefusedAndKept(string name, string message)
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var _ = client;

        using var response = await client.SubmitFormAsync("/account/display-name", new Dictionary<string, string> { ["DisplayName"] = name });
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(name, page.QuerySelector("input[name=DisplayName]")!.GetAttribute("value"));
        Assert.Equal(member.DisplayName, (await ReloadAsync(member.Id)).DisplayName);
    }

    [Fact]
    public async Task ChangingThePasswordEndsOtherSessionsButKeepsThisOne()
    {
        var (here, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var _ = here;
        using var elsewhere = new BlogClient(app);
        await elsewhere.SignInAsync(member.Email!);
        Assert.True(await IsSignedInAsync(elsewhere));

        using var changed = await here.SubmitFormAsync("/account/password", new Dictionary<string, string>
        {
            ["CurrentPassword"] = BlogClient.Password,
            ["NewPassword"] = "my new long password",
            ["ConfirmPassword"] = "my new long password",
        });

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.True(await IsSignedInAsync(here));
        Assert.False(await IsSignedInAsync(elsewhere));
        using var fresh = new BlogClient(app);
        await fresh.SignInAsync(member.Email!, "my new long password");
    }

    [Fact]
    public async Task WrongCurrentPasswordIsAClearErrorAndChangesNothing()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var _ = client;

        using var response = await client.SubmitFormAsync("/account/password", new Dictionary<string, string>
        {
            ["CurrentPassword"] = "not my password at all",
            ["NewPassword"] = "my new long password",
            ["ConfirmPassword"] = "my new long password",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("isn't your password", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
        using var fresh = new BlogClient(app);
        await fresh.SignInAsync(member.Email!);
    }

    [Fact]
    public async Task EmailChangesOnlyWhenTheLinkSentToTheNewAddressIsFollowed()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var _ = client;
        var newEmail = $"moved-{Guid.NewGuid():N}@example.test";

        using var asked = await client.SubmitFormAsync("/account/email", new Dictionary<string, string> { ["NewEmail"] = newEmail, ["CurrentPassword"] = BlogClient.Password });
        var beforeConfirming = await ReloadAsync(member.Id);
        var link = Mailbox.LinkInLastMessageTo(app, newEmail, "/account/confirm-email-change");
        var afterOnlyOpeningTheLink = (await client.GetPageAsync(link), await ReloadAsync(member.Id)).Item2;
        using var confirmed = await client.SubmitFormAsync(link, new Dictionary<string, string>());
        var after = await ReloadAsync(member.Id);

        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Equal(member.Email, beforeConfirming.Email);
        Assert.Equal(member.Email, afterOnlyOpeningTheLink.Email);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(newEmail, after.Email);
        Assert.Equal(newEmail, after.UserName);
        Assert.True(after.EmailConfirmed);
        Assert.True(await IsSignedInAsync(client));
        Assert.Single(Mailbox.MessagesTo(app, member.Email!));
        using var withNewEmail = new BlogClient(app);
        await withNewEmail.SignInAsync(newEmail);
    }

    [Fact]
    public async Task ChangingToAnEmailAnotherAccountUsesIsAFriendlyError()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var __ = client;
        var other = await BlogClient.CreateAccountAsync(app, MemberRole.Reader);

        using var response = await client.SubmitFormAsync("/account/email", new Dictionary<string, string> { ["NewEmail"] = other.Email!, ["CurrentPassword"] = BlogClient.Password });
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Another account already uses", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(other.Email, page.QuerySelector("input[name=NewEmail]")!.GetAttribute("value"));
        Assert.Empty(Mailbox.MessagesTo(app, other.Email!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not my password at all")]
    public async Task ChangingEmailWithoutTheRightPasswordChangesNothingAndKeepsTheTypedAddress(string password)
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var _ = client;
        var newEmail = $"moved-{Guid.NewGuid():N}@example.test";

        using var response = await client.SubmitFormAsync("/account/email", new Dictionary<string, string> { ["NewEmail"] = newEmail, ["CurrentPassword"] = password });
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(password == "" ? "Enter your current password" : "isn't your password",
            page.QuerySelector("span[data-valmsg-for=CurrentPassword]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(newEmail, page.QuerySelector("input[name=NewEmail]")!.GetAttribute("value"));
        Assert.True(string.IsNullOrEmpty(page.QuerySelector("input[name=CurrentPassword]")!.GetAttribute("value")));
        Assert.Empty(Mailbox.MessagesTo(app, newEmail));
        Assert.Equal(member.Email, (await ReloadAsync(member.Id)).Email);
    }

    [Fact]
    public async Task ForgedEmailChangeLinkIsRefusedClearly()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var _ = client;

        using var response = await client.SubmitFormAsync(
            $"/account/confirm-email-change?userId={member.Id}&email=thief%40example.test&code=Zm9yZ2Vk", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("expired or was already used", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
        Assert.Equal(member.Email, (await ReloadAsync(member.Id)).Email);
    }
}
