using System.Net;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;

namespace Blog.Web.Tests.Features.Members;

public sealed class InvitationTests(ClockedBlogAppFactory app) : IClassFixture<ClockedBlogAppFactory>
{
    private async Task<BlogClient> OwnerAsync() => (await BlogClient.SignedInAsync(app, MemberRole.Owner)).Client;

    private static Task<HttpResponseMessage> AcceptAsync(BlogClient client, string link) =>
        client.PostAsync(link + "/accept", new Dictionary<string, string>(), "/membership");

    [Fact]
    public async Task SignedInReaderAcceptsAnInvitationAndIsAMemberOnTheNextRequest()
    {
        using var owner = await OwnerAsync();
        var link = await OwnerActions.CreateInvitationAsync(owner);
        var (reader, person) = await BlogClient.SignedInAsync(app, MemberRole.Reader);
        using var _ = reader;
        var before = await OwnerActions.MembershipTextAsync(reader);

        using var page = await reader.GetAsync(link);
        using var accepted = await reader.SubmitFormAsync(link, new Dictionary<string, string>());
        var after = await OwnerActions.MembershipTextAsync(reader);

        Assert.Contains("by invitation", before, StringComparison.Ordinal);
        Assert.Contains("Accept invitation", await BlogClient.TextOfAsync(page), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Contains("You are a member", after, StringComparison.Ordinal);
        Assert.Equal("member", OwnerActions.RoleOf(app, person.Id));
        using var db = app.OpenDatabase();
        Assert.Equal(person.Id, db.ExecuteScalar<string>("SELECT used_by FROM invitations WHERE used_by = @Id;", new { person.Id }));
        Assert.DoesNotContain(link.Split('/')[^1], string.Join(",", db.Query<string>("SELECT token_hash FROM invitations;")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReusedInvitationIsRefused()
    {
        using var owner = await OwnerAsync();
        var link = await OwnerActions.CreateInvitationAsync(owner);
        var (first, _) = await BlogClient.SignedInAsync(app, MemberRole.Reader);
        var (second, secondPerson) = await BlogClient.SignedInAsync(app, MemberRole.Reader);
        using (var accepted = await AcceptAsync(first, link))
        {
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        }

        using var page = await second.GetAsync(link);
        using var refused = await AcceptAsync(second, link);

        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        Assert.Contains("already used", await BlogClient.TextOfAsync(page), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, refused.StatusCode);
        Assert.Equal("reader", OwnerActions.RoleOf(app, secondPerson.Id));
        first.Dispose();
        second.Dispose();
    }

    [Fact]
    public async Task AnExpiredInvitationIsRefused()
    {
        using var owner = await OwnerAsync();
        var link = await OwnerActions.CreateInvitationAsync(owner);
        var (reader, person) = await BlogClient.SignedInAsync(app, MemberRole.Reader);
        using var _ = reader;
        using (var stillValid = await reader.GetAsync(link))
        {
            Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
        }

        app.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        using var page = await reader.GetAsync(link);
        using var refused = await AcceptAsync(reader, link);

        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        Assert.Contains("expired", await BlogClient.TextOfAsync(page), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, refused.StatusCode);
        Assert.Equal("reader", OwnerActions.RoleOf(app, person.Id));
    }

    [Fact]
    public async Task ARevokedInvitationIsRefusedAndLeavesTheOpenList()
    {
        using var owner = await OwnerAsync();
        var email = $"revoked-{Guid.NewGuid():N}@example.test";
        var link = await OwnerActions.CreateInvitationAsync(owner, email);
        using var db = app.OpenDatabase();
        var id = db.ExecuteScalar<long>("SELECT id FROM invitations WHERE email = @Email;", new { Email = email });
        var person = await BlogClient.CreateAccountAsync(app, MemberRole.Reader, email);
        using var reader = new BlogClient(app);
        await reader.SignInAsync(email);

        using var revoked = await OwnerActions.SubmitAsync(owner, $"/invitations/{id}/revoke");
        var list = await owner.GetPageAsync("/admin/members");
        using var refused = await AcceptAsync(reader, link);

        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Null(list.QuerySelector($"form[action$='/invitations/{id}/revoke']"));
        Assert.Equal(HttpStatusCode.Gone, refused.StatusCode);
        Assert.Contains("revoked", await BlogClient.TextOfAsync(refused), StringComparison.Ordinal);
        Assert.Equal("reader", OwnerActions.RoleOf(app, person.Id));
    }

    [Fact]
    public async Task AnInvitationBoundToAnEmailIsSentThereAndRefusedToAnyoneElse()
    {
        using var owner = await OwnerAsync();
        var invitee = $"invitee-{Guid.NewGuid():N}@example.test";
        var link = await OwnerActions.CreateInvitationAsync(owner, invitee);
        var mailed = Mailbox.LinkInLastMessageTo(app, invitee, "/invitations/");
        var (stranger, strangerPerson) = await BlogClient.SignedInAsync(app, MemberRole.Reader);
        var person = await BlogClient.CreateAccountAsync(app, MemberRole.Reader, invitee.ToUpperInvariant());
        using var rightful = new BlogClient(app);
        await rightful.SignInAsync(invitee.ToUpperInvariant());

        using var refused = await AcceptAsync(stranger, link);
        using var accepted = await AcceptAsync(rightful, mailed);

        Assert.Equal(link, mailed);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("for someone else", await BlogClient.TextOfAsync(refused), StringComparison.Ordinal);
        Assert.Equal("reader", OwnerActions.RoleOf(app, strangerPerson.Id));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal("member", OwnerActions.RoleOf(app, person.Id));
        stranger.Dispose();
    }

    [Fact]
    public async Task AForgedInvitationLinkIsANotFoundPage()
    {
        using var visitor = new BlogClient(app);

        using var response = await visitor.GetAsync("/invitations/forged-token-123");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("isn't valid", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewPersonRegistersConfirmsSignsInAndIsBroughtBackToTheInvitation()
    {
        using var owner = await OwnerAsync();
        var link = await OwnerActions.CreateInvitationAsync(owner);
        using var visitor = new BlogClient(app);
        var email = $"newcomer-{Guid.NewGuid():N}@example.test";

        var invitation = await visitor.GetPageAsync(link);
        var register = invitation.QuerySelector("main a[href^='/account/register']")!.GetAttribute("href")!;
        using var registered = await visitor.SubmitFormAsync(register, new Dictionary<string, string>
        {
            ["DisplayName"] = "New Comer",
            ["Email"] = email,
            ["Password"] = BlogClient.Password,
            ["ConfirmPassword"] = BlogClient.Password,
        });
        using var confirmation = await visitor.SubmitFormAsync(Mailbox.LinkInLastMessageTo(app, email, "/account/confirm-email"), new Dictionary<string, string>());
        var confirmed = BlogClient.Parse(await confirmation.Content.ReadAsStringAsync());
        var signIn = confirmed.QuerySelector("main a.button")!.GetAttribute("href")!;
        using var signedIn = await visitor.SubmitFormAsync(signIn, new Dictionary<string, string> { ["Email"] = email, ["Password"] = BlogClient.Password });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(link, signedIn.Headers.Location!.OriginalString);
        using var accepted = await visitor.SubmitFormAsync(signedIn.Headers.Location!.OriginalString, new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Contains("You are a member", await OwnerActions.MembershipTextAsync(visitor), StringComparison.Ordinal);
    }
}
