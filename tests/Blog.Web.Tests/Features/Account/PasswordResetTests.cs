using System.Net;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Account;

public sealed class PasswordResetTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    private const string NewPassword = "a brand new passphrase";

    private static Dictionary<string, string> Passwords(string password, string confirm) => new()
    {
        ["NewPassword"] = password,
        ["ConfirmPassword"] = confirm,
    };

    [Fact]
    public async Task ResetLinkFromTheMailFolderSetsANewPassword()
    {
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        using var client = new BlogClient(app);

        using var asked = await client.SubmitFormAsync("/account/forgot-password", new Dictionary<string, string> { ["Email"] = member.Email! });
        var link = Mailbox.LinkInLastMessageTo(app, member.Email!, "/account/reset-password");
        using var reset = await client.SubmitFormAsync(link, Passwords(NewPassword, NewPassword));
        using var oldPassword = await client.SubmitFormAsync("/account/sign-in", new Dictionary<string, string> { ["Email"] = member.Email!, ["Password"] = BlogClient.Password });
        using var newPassword = await client.SubmitFormAsync("/account/sign-in", new Dictionary<string, string> { ["Email"] = member.Email!, ["Password"] = NewPassword });

        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Contains("Password changed", await BlogClient.TextOfAsync(reset), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, oldPassword.StatusCode);
        Assert.Contains("don't match an account", await BlogClient.TextOfAsync(oldPassword), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, newPassword.StatusCode);
    }

    [Fact]
    public async Task ResetLinkWorksOnlyOnce()
    {
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        using var client = new BlogClient(app);
        using var _ = await client.SubmitFormAsync("/account/forgot-password", new Dictionary<string, string> { ["Email"] = member.Email! });
        var link = Mailbox.LinkInLastMessageTo(app, member.Email!, "/account/reset-password");
        using var first = await client.SubmitFormAsync(link, Passwords(NewPassword, NewPassword));

        using var second = await client.SubmitFormAsync(link, Passwords("yet another passphrase", "yet another passphrase"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Contains("expired or was already used", await BlogClient.TextOfAsync(second), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KnownAndUnknownEmailsGetTheSameAnswerButOnlyKnownOnesGetMail()
    {
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Reader);
        var unknown = $"nobody-{Guid.NewGuid():N}@example.test";
        using var client = new BlogClient(app);

        using var known = await client.SubmitFormAsync("/account/forgot-password", new Dictionary<string, string> { ["Email"] = member.Email! });
        using var notKnown = await client.SubmitFormAsync("/account/forgot-password", new Dictionary<string, string> { ["Email"] = unknown });
        var knownText = (await BlogClient.TextOfAsync(known)).Replace(member.Email!, "ADDRESS", StringComparison.Ordinal);
        var unknownText = (await BlogClient.TextOfAsync(notKnown)).Replace(unknown, "ADDRESS", StringComparison.Ordinal);

        Assert.Equal(known.StatusCode, notKnown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(knownText, unknownText);
        Assert.Single(Mailbox.MessagesTo(app, member.Email!));
        Assert.Empty(Mailbox.MessagesTo(app, unknown));
    }

    [Fact]
    public async Task ForgedOrIncompleteResetLinksGetAClearMessageNotAnError()
    {
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        using var client = new BlogClient(app);

        using var forged = await client.SubmitFormAsync($"/account/reset-password?userId={member.Id}&code=Zm9yZ2Vk", Passwords(NewPassword, NewPassword));
        using var incomplete = await client.GetAsync("/account/reset-password?userId=" + member.Id);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("expired or was already used", await BlogClient.TextOfAsync(forged), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        Assert.Contains("isn't complete", await BlogClient.TextOfAsync(incomplete), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MismatchedNewPasswordsReShowTheFormAndKeepTheLink()
    {
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        using var client = new BlogClient(app);
        using var _ = await client.SubmitFormAsync("/account/forgot-password", new Dictionary<string, string> { ["Email"] = member.Email! });
        var link = Mailbox.LinkInLastMessageTo(app, member.Email!, "/account/reset-password");

        using var response = await client.SubmitFormAsync(link, Passwords(NewPassword, "something else entirely"));
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("don't match", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(member.Id, page.QuerySelector("input[name=UserId]")!.GetAttribute("value"));
        Assert.False(string.IsNullOrEmpty(page.QuerySelector("input[name=Code]")!.GetAttribute("value")));
    }

    [Fact]
    public async Task InvalidEmailOnForgotPasswordIsShownAndKept()
    {
        using var client = new BlogClient(app);

        using var response = await client.SubmitFormAsync("/account/forgot-password", new Dictionary<string, string> { ["Email"] = "not an email" });
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("doesn't look like an email", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("not an email", page.QuerySelector("input[name=Email]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task ResendConfirmationSendsOnlyToUnconfirmedAccountsWithTheSameAnswer()
    {
        using var client = new BlogClient(app);
        var unconfirmed = $"unconfirmed-{Guid.NewGuid():N}@example.test";
        using var __ = await client.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["DisplayName"] = "Slow Reader",
            ["Email"] = unconfirmed,
            ["Password"] = BlogClient.Password,
            ["ConfirmPassword"] = BlogClient.Password,
        });
        var confirmed = await BlogClient.CreateAccountAsync(app, MemberRole.Reader);

        using var signIn = await client.SubmitFormAsync("/account/sign-in", new Dictionary<string, string> { ["Email"] = unconfirmed, ["Password"] = BlogClient.Password });
        var resendLink = BlogClient.Parse(await signIn.Content.ReadAsStringAsync()).QuerySelector("a[href*='resend-confirmation?email=']")!.GetAttribute("href")!;
        var resendPage = await client.GetPageAsync(resendLink);
        using var toUnconfirmed = await client.SubmitFormAsync(resendLink, new Dictionary<string, string> { ["Email"] = unconfirmed });
        using var toConfirmed = await client.SubmitFormAsync("/account/resend-confirmation", new Dictionary<string, string> { ["Email"] = confirmed.Email! });
        var newLink = Mailbox.LinkInLastMessageTo(app, unconfirmed, "/account/confirm-email");
        using var confirmation = await client.SubmitFormAsync(newLink, new Dictionary<string, string>());

        Assert.Equal(unconfirmed, resendPage.QuerySelector("input[name=Email]")!.GetAttribute("value"));
        Assert.Equal(HttpStatusCode.OK, toUnconfirmed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, toConfirmed.StatusCode);
        Assert.Equal(
            (await BlogClient.TextOfAsync(toUnconfirmed)).Replace(unconfirmed, "ADDRESS", StringComparison.Ordinal),
            (await BlogClient.TextOfAsync(toConfirmed)).Replace(confirmed.Email!, "ADDRESS", StringComparison.Ordinal));
        Assert.Equal(2, Mailbox.MessagesTo(app, unconfirmed).Count);
        Assert.Empty(Mailbox.MessagesTo(app, confirmed.Email!));
        Assert.Equal(HttpStatusCode.OK, confirmation.StatusCode);
    }
}
