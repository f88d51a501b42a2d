using System.Net;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;

namespace Blog.Web.Tests.Features.Members;

/// <summary>Each test sets the mode it is about; tests in one class run one at a time.</summary>
public sealed class MembershipModesTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    private async Task<BlogClient> OwnerInModeAsync(string mode)
    {
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        await OwnerActions.SetModeAsync(owner, mode);
        return owner;
    }

    private long OpenRequestsOf(string memberId)
    {
        using var db = app.OpenDatabase();
        return db.ExecuteScalar<long>("SELECT COUNT(*) FROM membership_requests WHERE member_id = @Id AND decided_at IS NULL;", new { Id = memberId });
    }

    [Fact]
    public async Task InviteOnlyExplainsInvitationsAndRefusesRequests()
    {
        using var owner = await OwnerInModeAsync("InviteOnly");
        var (reader, person) = await BlogClient.SignedInAsync(app, MemberRole.Reader);
        using var _ = reader;

        var text = await OwnerActions.MembershipTextAsync(reader);
        using var request = await reader.PostAsync("/membership/request", new Dictionary<string, string> { ["message"] = "hi" });
        using var join = await reader.PostAsync("/membership/join", new Dictionary<string, string>());

        Assert.Contains("by invitation", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, request.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, join.StatusCode);
        Assert.Equal(0, OpenRequestsOf(person.Id));
        Assert.Equal("reader", OwnerActions.RoleOf(app, person.Id));
    }

    [Fact]
    public async Task RequestModeApprovalMakesAMemberAndEmailsThem()
    {
        using var owner = await OwnerInModeAsync("Request");
        var (reader, person) = await BlogClient.SignedInAsync(app, MemberRole.Reader);
        using var _ = reader;

        using var asked = await reader.SubmitFormAsync("/membership", new Dictionary<string, string> { ["message"] = "I read every post <3" });
        using var askedAgain = await reader.PostAsync("/membership/request", new Dictionary<string, string> { ["message"] = "again" });
        var waiting = await OwnerActions.MembershipTextAsync(reader);
        var ownerPage = await owner.GetPageAsync("/admin/members");
        using var db = app.OpenDatabase();
        var requestId = db.ExecuteScalar<long>("SELECT id FROM membership_requests WHERE member_id = @Id;", new { person.Id });
        using var approved = await OwnerActions.SubmitAsync(owner, $"/requests/{requestId}/approve");
        var after = await OwnerActions.MembershipTextAsync(reader);

        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, askedAgain.StatusCode);
        Assert.Contains("waiting for the owner", waiting, StringComparison.Ordinal);
        Assert.Contains("I read every post <3", ownerPage.QuerySelector("#requests-heading")!.ParentElement!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Contains("You are a member", after, StringComparison.Ordinal);
        Assert.Equal("member", OwnerActions.RoleOf(app, person.Id));
        Assert.Equal(0, OpenRequestsOf(person.Id));
        Assert.Contains("approved", Mailbox.LastMessageTo(app, person.Email!).TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestModeDeclineLeavesAReaderAndEmailsThem()
    {
        using var owner = await OwnerInModeAsync("Request");
        var (reader, person) = await BlogClient.SignedInAsync(app, MemberRole.Reader);
        using var _ = reader;
        using var asked = await reader.SubmitFormAsync("/membership", new Dictionary<string, string> { ["message"] = "" });
        using var db = app.OpenDatabase();
        var requestId = db.ExecuteScalar<long>("SELECT id FROM membership_requests WHERE member_id = @Id;", new { person.Id });

        using var declined = await OwnerActions.SubmitAsync(owner, $"/requests/{requestId}/decline");
        using var declinedTwice = await owner.PostAsync($"/admin/members/requests/{requestId}/decline", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, declined.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, declinedTwice.StatusCode);
        Assert.Equal("reader", OwnerActions.RoleOf(app, person.Id));
        Assert.Equal("declined", db.ExecuteScalar<string>("SELECT decision FROM membership_requests WHERE id = @Id;", new { Id = requestId }));
        Assert.Contains("declined", Mailbox.LastMessageTo(app, person.Email!).TextBody, StringComparison.Ordinal);
        Assert.Single(Mailbox.MessagesTo(app, person.Email!));
    }

    [Fact]
    public async Task AnOverlongRequestMessageIsShownAgainWithAnError()
    {
        using var owner = await OwnerInModeAsync("Request");
        var (reader, person) = await BlogClient.SignedInAsync(app, MemberRole.Reader);
        using var _ = reader;
        var message = new string('x', 501);

        using var response = await reader.SubmitFormAsync("/membership", new Dictionary<string, string> { ["message"] = message });
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, page.QuerySelector("textarea[name=message]")!.TextContent);
        Assert.Contains("500 characters or fewer", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, OpenRequestsOf(person.Id));
    }

    [Fact]
    public async Task OpenModeMakesAConfirmedRegistrationAMemberAndLetsEarlierReadersJoin()
    {
        using var owner = await OwnerInModeAsync("Open");
        using var visitor = new BlogClient(app);
        var email = $"open-{Guid.NewGuid():N}@example.test";
        var (earlier, earlierPerson) = await BlogClient.SignedInAsync(app, MemberRole.Reader);
        using var _ = earlier;

        using var registered = await visitor.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["DisplayName"] = "Open Reader",
            ["Email"] = email,
            ["Password"] = BlogClient.Password,
            ["ConfirmPassword"] = BlogClient.Password,
        });
        using var confirmed = await visitor.SubmitFormAsync(Mailbox.LinkInLastMessageTo(app, email, "/account/confirm-email"), new Dictionary<string, string>());
        await visitor.SignInAsync(email);
        using var joined = await earlier.SubmitFormAsync("/membership", new Dictionary<string, string>());

        Assert.Contains("You are a member", await OwnerActions.MembershipTextAsync(visitor), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
        Assert.Equal("member", OwnerActions.RoleOf(app, earlierPerson.Id));
    }
}
