using System.Net;
using System.Text.RegularExpressions;
using Blog.Web.Identity;
using Blog.Web.Tests.Features.Members;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using MimeKit;
using static Blog.Web.Tests.Infrastructure.CommentTestData;

namespace Blog.Web.Tests.Security;

/// <summary>
/// The attack of issue 16: a visitor who makes the blog mail someone a genuine link (a password reset, say) that
/// points at a site of the visitor's choosing, by sending a forged Host or X-Forwarded-Host. Every mail the blog sends
/// is triggered here by a request carrying each forgery that gets past host filtering, and every link in it, headers
/// included, must start with the blog's configured address.
/// </summary>
public sealed partial class ForgedHostMailTests(ForgedHostMailTests.App app) : IClassFixture<ForgedHostMailTests.App>
{
    public sealed class App : ProxiedBlogAppFactory
    {
        public App()
        {
            // Comments with this word wait for the owner, so a held comment needs no change of the site's settings.
            Settings["Blog:Defaults:Comments:BlockedWords"] = HoldingWord;
        }
    }

    private const string HoldingWord = "quarantine";

    private sealed record Sent(MimeMessage Message, string? ExpectedLink);

    private static readonly string[] Mails =
    [
        "confirm-email", "already-registered", "resend-confirmation", "reset-password", "change-email", "email-changed", "invitation",
        "membership-decision", "new-comment", "held-comment", "held-after-edit", "reply",
    ];

    public static TheoryData<string, string> MailsAndForgeries()
    {
        var cases = new TheoryData<string, string>();
        foreach (var mail in Mails)
        {
            foreach (var forgery in ProxiedBlogAppFactory.Forgeries.Keys)
            {
                cases.Add(mail, forgery);
            }
        }
        return cases;
    }

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex Link();

    [Theory]
    [MemberData(nameof(MailsAndForgeries))]
    public async Task EveryLinkInEveryMailStartsWithTheBlogsAddress(string mail, string forgery)
    {
        var sent = await SendAsync(mail, forgery);

        var text = sent.Message.TextBody ?? "";
        var headers = string.Join("\n", sent.Message.Headers.Select(header => header.Value));
        var forged = ProxiedBlogAppFactory.Forgeries[forgery].Forged;
        Assert.DoesNotContain(forged, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(forged, headers, StringComparison.OrdinalIgnoreCase);
        Assert.All(Link().Matches(text + "\n" + headers).Select(match => match.Value),
            link => Assert.StartsWith(ProxiedBlogAppFactory.Address + "/", link, StringComparison.Ordinal));
        if (sent.ExpectedLink is { } expected)
        {
            Assert.Contains(ProxiedBlogAppFactory.Address + expected, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/account/forgot-password")]
    [InlineData("/account/register")]
    [InlineData("/account/resend-confirmation")]
    [InlineData("/")]
    public async Task AForgedHostNameIsRefusedWithoutEchoingIt(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "evil.example";
        using var client = app.CreateClient();

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("evil.example", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("evil.example", response.Headers.ToString() + response.Content.Headers, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task APasswordResetAskedForWithAForgedHostSendsNothing()
    {
        var owner = await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        using var attacker = new BlogClient(app);
        var token = await attacker.AntiforgeryTokenAsync("/account/forgot-password");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/forgot-password")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { [BlogClient.AntiforgeryField] = token, ["Email"] = owner.Email! }),
        };
        request.Headers.Host = "evil.example";

        using var response = await attacker.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(Mailbox.MessagesTo(app, owner.Email!));
    }

    private Task<Sent> SendAsync(string mail, string forgery) => mail switch
    {
        "confirm-email" => ConfirmEmailAsync(forgery),
        "already-registered" => AlreadyRegisteredAsync(forgery),
        "resend-confirmation" => ResendConfirmationAsync(forgery),
        "reset-password" => ResetPasswordAsync(forgery),
        "change-email" => ChangeEmailAsync(forgery),
        "email-changed" => EmailChangedAsync(forgery),
        "invitation" => InvitationAsync(forgery),
        "membership-decision" => MembershipDecisionAsync(forgery),
        "new-comment" => NewCommentAsync(forgery),
        "held-comment" => HeldCommentAsync(forgery),
        "held-after-edit" => HeldAfterEditAsync(forgery),
        "reply" => ReplyAsync(forgery),
        _ => throw new ArgumentOutOfRangeException(nameof(mail), mail, "No such mail."),
    };

    private BlogClient Visitor(string forgery) => ProxiedBlogAppFactory.Forge(new BlogClient(app), forgery);

    private async Task<BlogClient> SignedIn(Member member, string forgery)
    {
        var client = Visitor(forgery);
        await client.SignInAsync(member.Email!);
        return client;
    }

    private static string NewEmail() => $"forged-host-{Guid.NewGuid():N}@example.test";

    private static Dictionary<string, string> Registration(string email) => new()
    {
        ["DisplayName"] = "New Person",
        ["Email"] = email,
        ["Password"] = BlogClient.Password,
        ["ConfirmPassword"] = BlogClient.Password,
    };

    private async Task<Sent> ConfirmEmailAsync(string forgery)
    {
        var email = NewEmail();
        using var visitor = Visitor(forgery);

        await Expect(HttpStatusCode.OK, visitor.SubmitFormAsync("/account/register", Registration(email)));

        return new Sent(Mailbox.LastMessageTo(app, email), "/account/confirm-email?");
    }

    /// <summary>Registering a taken address mails its owner instead of telling the form; the notice has no link.</summary>
    private async Task<Sent> AlreadyRegisteredAsync(string forgery)
    {
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        using var visitor = Visitor(forgery);

        await Expect(HttpStatusCode.OK, visitor.SubmitFormAsync("/account/register", Registration(member.Email!)));

        return new Sent(Mailbox.LastMessageTo(app, member.Email!), null);
    }

    private async Task<Sent> ResendConfirmationAsync(string forgery)
    {
        var email = NewEmail();
        using (var registering = new BlogClient(app))
        {
            await Expect(HttpStatusCode.OK, registering.SubmitFormAsync("/account/register", Registration(email)));
        }
        using var visitor = Visitor(forgery);

        await Expect(HttpStatusCode.OK, visitor.SubmitFormAsync("/account/resend-confirmation", new Dictionary<string, string> { ["Email"] = email }));

        Assert.Equal(2, Mailbox.MessagesTo(app, email).Count);
        return new Sent(Mailbox.LastMessageTo(app, email), "/account/confirm-email?");
    }

    private async Task<Sent> ResetPasswordAsync(string forgery)
    {
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        using var visitor = Visitor(forgery);

        await Expect(HttpStatusCode.OK, visitor.SubmitFormAsync("/account/forgot-password", new Dictionary<string, string> { ["Email"] = member.Email! }));

        return new Sent(Mailbox.LastMessageTo(app, member.Email!), "/account/reset-password?");
    }

    private async Task<Sent> ChangeEmailAsync(string forgery)
    {
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        var newEmail = NewEmail();
        using var client = await SignedIn(member, forgery);

        await Expect(HttpStatusCode.OK, client.SubmitFormAsync("/account/email", new Dictionary<string, string> { ["NewEmail"] = newEmail, ["CurrentPassword"] = BlogClient.Password }));

        return new Sent(Mailbox.LastMessageTo(app, newEmail), "/account/confirm-email-change?");
    }

    /// <summary>The notice to the old address carries no link; it must still not name the forged host.</summary>
    private async Task<Sent> EmailChangedAsync(string forgery)
    {
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        var newEmail = NewEmail();
        using (var client = new BlogClient(app))
        {
            await client.SignInAsync(member.Email!);
            await Expect(HttpStatusCode.OK, client.SubmitFormAsync("/account/email", new Dictionary<string, string> { ["NewEmail"] = newEmail, ["CurrentPassword"] = BlogClient.Password }));
        }
        var confirmation = Mailbox.LinkInLastMessageTo(app, newEmail, "/account/confirm-email-change");
        using var follower = Visitor(forgery);

        await Expect(HttpStatusCode.OK, follower.SubmitFormAsync(confirmation, new Dictionary<string, string>()));

        return new Sent(Mailbox.LastMessageTo(app, member.Email!), null);
    }

    private async Task<Sent> InvitationAsync(string forgery)
    {
        var owner = await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        var invited = NewEmail();
        using var client = await SignedIn(owner, forgery);

        using var response = await client.SubmitFormAsync("/admin/members",
            new Dictionary<string, string> { ["invitationEmail"] = invited }, "form.members-invite");

        // The link the owner may copy from the page is the same one.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var shown = BlogClient.Parse(await response.Content.ReadAsStringAsync()).QuerySelector(".invitation-link code")!.TextContent.Trim();
        Assert.StartsWith(ProxiedBlogAppFactory.Address + "/invitations/", shown, StringComparison.Ordinal);
        return new Sent(Mailbox.LastMessageTo(app, invited), "/invitations/");
    }

    private async Task<Sent> MembershipDecisionAsync(string forgery)
    {
        var owner = await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        var reader = await BlogClient.CreateAccountAsync(app, MemberRole.Reader);
        using var ownerClient = await SignedIn(owner, forgery);
        await OwnerActions.SetModeAsync(ownerClient, nameof(Blog.Web.Features.Settings.MembershipMode.Request));
        using (var readerClient = new BlogClient(app))
        {
            await readerClient.SignInAsync(reader.Email!);
            await Expect(HttpStatusCode.Redirect, readerClient.SubmitFormAsync("/membership", new Dictionary<string, string> { ["message"] = "May I?" }));
        }
        using var db = app.OpenDatabase();
        var requestId = db.ExecuteScalar<long>("SELECT id FROM membership_requests WHERE member_id = @Id;", new { reader.Id });

        await Expect(HttpStatusCode.Redirect, OwnerActions.SubmitAsync(ownerClient, $"/requests/{requestId}/approve"));

        await OwnerActions.SetModeAsync(ownerClient, nameof(Blog.Web.Features.Settings.MembershipMode.InviteOnly));
        return new Sent(Mailbox.LastMessageTo(app, reader.Email!), "/membership");
    }

    private async Task<(Member Author, long PostId)> PostByNewAuthorAsync()
    {
        var author = await BlogClient.CreateAccountAsync(app, MemberRole.Author);
        return (author, await CreatePostAsync(app, DateTime.UtcNow.AddDays(-1), author.Id));
    }

    private async Task<Sent> NewCommentAsync(string forgery)
    {
        var (author, postId) = await PostByNewAuthorAsync();
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        using var client = await SignedIn(member, forgery);

        var id = await CommentIdAsync(client, postId, "A thoughtful comment");

        return new Sent(Mailbox.LastMessageTo(app, author.Email!), $"/comments/{id}");
    }

    private async Task<Sent> HeldCommentAsync(string forgery)
    {
        var owner = await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        var (_, postId) = await PostByNewAuthorAsync();
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        using var client = await SignedIn(member, forgery);

        await CommentIdAsync(client, postId, $"Words the owner holds: {HoldingWord}");

        return new Sent(Mailbox.LastMessageTo(app, owner.Email!), "/admin/moderation");
    }

    private async Task<Sent> HeldAfterEditAsync(string forgery)
    {
        var owner = await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        var (_, postId) = await PostByNewAuthorAsync();
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        using var client = await SignedIn(member, forgery);
        var id = await CommentIdAsync(client, postId, "Innocent at first");

        await Expect(HttpStatusCode.Redirect, client.SubmitFormAsync($"/comments/{id}/edit", new Dictionary<string, string> { ["Body"] = $"Now with {HoldingWord}" }));

        var notice = Mailbox.LastMessageTo(app, owner.Email!);
        Assert.Contains("edited a comment", notice.TextBody, StringComparison.Ordinal);
        return new Sent(notice, "/admin/moderation");
    }

    private async Task<Sent> ReplyAsync(string forgery)
    {
        var (_, postId) = await PostByNewAuthorAsync();
        var writer = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        var replier = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        long parent;
        using (var writerClient = new BlogClient(app))
        {
            await writerClient.SignInAsync(writer.Email!);
            parent = await CommentIdAsync(writerClient, postId, "Tell me about replies", emailReplies: true);
        }
        using var replierClient = await SignedIn(replier, forgery);

        await CommentIdAsync(replierClient, postId, "Here is a reply", parent);

        var notice = Mailbox.LastMessageTo(app, writer.Email!);
        Assert.StartsWith($"<{ProxiedBlogAppFactory.Address}/comments/unsubscribe?token=", notice.Headers["List-Unsubscribe"], StringComparison.Ordinal);
        return new Sent(notice, "/comments/unsubscribe?token=");
    }

    private static async Task Expect(HttpStatusCode status, Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, not {(int)status}");
    }
}
