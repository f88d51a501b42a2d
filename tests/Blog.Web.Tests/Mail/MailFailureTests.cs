using System.Globalization;
using System.Net;
using Blog.Web.Identity;
using Blog.Web.Tests.Features.Members;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Blog.Web.Tests.Mail;

/// <summary>The blog with its SMTP server down: nothing it does by email may end in a 500 or undo what was saved.</summary>
public sealed class UnreachableMailAppFactory : BlogAppFactory
{
    public UnreachableMailAppFactory()
    {
        Settings["Blog:Mail:SmtpHost"] = "127.0.0.1";
        Settings["Blog:Mail:SmtpPort"] = ClosedPort.Find().ToString(CultureInfo.InvariantCulture);
        ConfigureLogging = logging => logging.AddProvider(Logs);
    }

    public CapturedLogs Logs { get; } = new();
}

public sealed class MailFailureTests(UnreachableMailAppFactory app) : IClassFixture<UnreachableMailAppFactory>
{
    private const string CouldNotSend = "couldn't send";

    private static string NewEmail() => $"down-{Guid.NewGuid():N}@example.test";

    /// <summary>
    /// Registration, "forgot password" and a new confirmation link queue their mail and answer at once, the same way
    /// whether or not the address has an account: whether the mail server is up is the outbox's business, not the form's.
    /// </summary>
    [Fact]
    public async Task RegisteringKeepsTheAccountAndAnswersAsUsual()
    {
        using var client = new BlogClient(app);
        var email = NewEmail();

        using var response = await client.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["DisplayName"] = "Dora Down",
            ["Email"] = email,
            ["Password"] = BlogClient.Password,
            ["ConfirmPassword"] = BlogClient.Password,
        });
        var text = await BlogClient.TextOfAsync(response);
        using var scope = app.Services.CreateScope();
        var saved = await scope.ServiceProvider.GetRequiredService<UserManager<Member>>().FindByEmailAsync(email);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Check your email", text, StringComparison.Ordinal);
        Assert.DoesNotContain(CouldNotSend, text, StringComparison.Ordinal);
        Assert.NotNull(saved);
        Assert.Equal("Dora Down", saved.DisplayName);
    }

    [Fact]
    public async Task ForgotPasswordAnswersKnownAndUnknownAddressesAlike()
    {
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        var unknown = NewEmail();
        using var client = new BlogClient(app);

        using var known = await client.SubmitFormAsync("/account/forgot-password", new Dictionary<string, string> { ["Email"] = member.Email! });
        using var stranger = await client.SubmitFormAsync("/account/forgot-password", new Dictionary<string, string> { ["Email"] = unknown });
        var knownText = (await BlogClient.TextOfAsync(known)).Replace(member.Email!, "ADDRESS", StringComparison.Ordinal);
        var strangerText = (await BlogClient.TextOfAsync(stranger)).Replace(unknown, "ADDRESS", StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stranger.StatusCode);
        Assert.Contains("Check your email", knownText, StringComparison.Ordinal);
        Assert.Equal(knownText, strangerText);
    }

    [Fact]
    public async Task ResendingTheConfirmationAnswersAsUsual()
    {
        using var client = new BlogClient(app);
        var email = NewEmail();
        using var _ = await client.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["DisplayName"] = "Dora Down",
            ["Email"] = email,
            ["Password"] = BlogClient.Password,
            ["ConfirmPassword"] = BlogClient.Password,
        });

        using var response = await client.SubmitFormAsync("/account/resend-confirmation", new Dictionary<string, string> { ["Email"] = email });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Check your email", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangingEmailKeepsTheTypedAddressAndTheOldOne()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var _ = client;
        var newEmail = NewEmail();

        using var response = await client.SubmitFormAsync("/account/email", new Dictionary<string, string> { ["NewEmail"] = newEmail, ["CurrentPassword"] = BlogClient.Password });
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());
        using var db = app.OpenDatabase();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(newEmail, page.QuerySelector("input[name=NewEmail]")!.GetAttribute("value"));
        Assert.Contains(CouldNotSend, page.QuerySelector(".field-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(member.Email, db.ExecuteScalar<string>("SELECT email FROM members WHERE id = @Id;", new { member.Id }));
    }

    [Fact]
    public async Task ConfirmedEmailChangeStandsWhenTheNoticeToTheOldAddressCannotGo()
    {
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        var newEmail = NewEmail();
        string code;
        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<Member>>();
            code = await users.GenerateChangeEmailTokenAsync((await users.FindByIdAsync(member.Id))!, newEmail);
        }
        using var client = new BlogClient(app);
        var link = $"/account/confirm-email-change?userId={member.Id}&email={Uri.EscapeDataString(newEmail)}&code={Uri.EscapeDataString(code)}";

        using var response = await client.SubmitFormAsync(link, new Dictionary<string, string>());
        using var db = app.OpenDatabase();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Email changed", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
        Assert.Contains(CouldNotSend, await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
        Assert.Equal(newEmail, db.ExecuteScalar<string>("SELECT email FROM members WHERE id = @Id;", new { member.Id }));
    }

    [Fact]
    public async Task AnInvitationIsCreatedAndItsLinkShownToTheOwner()
    {
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var __ = owner;
        var invitee = NewEmail();

        using var response = await owner.SubmitFormAsync("/admin/members",
            new Dictionary<string, string> { ["invitationEmail"] = invitee }, "form.members-invite");
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());
        using var db = app.OpenDatabase();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(CouldNotSend, page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("/invitations/", page.QuerySelector(".invitation-link code")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(1, db.ExecuteScalar<int>("SELECT COUNT(*) FROM invitations WHERE email = @Email;", new { Email = invitee }));
    }

    [Fact]
    public async Task ApprovingARequestStillMakesAMemberAndTellsTheOwnerTheEmailDidNotGo()
    {
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var __ = owner;
        var reader = await BlogClient.CreateAccountAsync(app, MemberRole.Reader);
        long requestId;
        using (var db = app.OpenDatabase())
        {
            requestId = db.ExecuteScalar<long>(
                "INSERT INTO membership_requests (member_id, created_at) VALUES (@Id, '2026-01-01 00:00:00.0000000') RETURNING id;", new { reader.Id });
        }

        using var approved = await OwnerActions.SubmitAsync(owner, $"/requests/{requestId}/approve");
        var members = await owner.GetPageAsync("/admin/members");

        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Equal("member", OwnerActions.RoleOf(app, reader.Id));
        Assert.Contains("couldn't email them", members.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
    }
}

/// <summary>An address saved before addresses were checked as strictly, or by hand, must not break the flows that mail it.</summary>
public sealed class UnmailableStoredAddressTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    [Fact]
    public async Task DecidingTheRequestOfSomeoneWhoseStoredAddressCannotBeMailedStillWorks()
    {
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var __ = owner;
        var reader = await BlogClient.CreateAccountAsync(app, MemberRole.Reader);
        long requestId;
        using (var db = app.OpenDatabase())
        {
            db.Execute("UPDATE members SET email = @Email WHERE id = @Id;", new { Email = $"odd.{Guid.NewGuid():N}.@example.test", reader.Id });
            requestId = db.ExecuteScalar<long>(
                "INSERT INTO membership_requests (member_id, created_at) VALUES (@Id, '2026-01-01 00:00:00.0000000') RETURNING id;", new { reader.Id });
        }

        using var declined = await OwnerActions.SubmitAsync(owner, $"/requests/{requestId}/decline");
        var members = await owner.GetPageAsync("/admin/members");

        Assert.Equal(HttpStatusCode.Redirect, declined.StatusCode);
        Assert.Equal("reader", OwnerActions.RoleOf(app, reader.Id));
        Assert.Contains("couldn't email them", members.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
    }
}
