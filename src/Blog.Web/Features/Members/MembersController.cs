using Blog.Web.Features.Account;
using Blog.Web.Features.Seo;
using Blog.Web.Features.Settings;
using Blog.Web.Identity;
using Blog.Web.Mail;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Members;

/// <summary>The owner's Members page: who is a member, who asked to be, which invitations are open.</summary>
[Route("admin/members")]
[Authorize(Policy = Policies.Owner)]
public sealed class MembersController(
    MembershipQueries queries, MemberStandingCommands standing, JoinRequestCommands joinRequests, InvitationCommands invitations) : Controller
{
    private const string NoticeKey = "MembersNotice";

    [HttpGet("")]
    public async Task<IActionResult> Index(string? q, int page = 1, CancellationToken cancellationToken = default) =>
        View(new MembersIndex(await queries.GetOverviewAsync(q, page, User.Id(), cancellationToken), TempData[NoticeKey] as string));

    [HttpPost("{id}/role")]
    public async Task<IActionResult> SetRole(string id, string role, CancellationToken cancellationToken)
    {
        // The owner is never given: the blog has exactly one, made at setup.
        if (!MemberRoles.TryParse(role, out var newRole) || newRole == MemberRole.Owner)
        {
            return Problem400("That isn't a role the Members page can give.");
        }
        if (id == User.Id())
        {
            return Problem400("You can't change your own role: the blog always needs its owner.");
        }
        return await standing.SetRoleAsync(id, newRole, cancellationToken)
            ? Done($"Role changed to {role}.")
            : NotFound();
    }

    [HttpPost("{id}/ban")]
    public Task<IActionResult> Ban(string id, CancellationToken cancellationToken) => SetBanned(id, true, cancellationToken);

    [HttpPost("{id}/unban")]
    public Task<IActionResult> Unban(string id, CancellationToken cancellationToken) => SetBanned(id, false, cancellationToken);

    [HttpPost("requests/{id:long}/approve")]
    public Task<IActionResult> Approve(long id, CancellationToken cancellationToken) => Decide(id, true, cancellationToken);

    [HttpPost("requests/{id:long}/decline")]
    public Task<IActionResult> Decline(long id, CancellationToken cancellationToken) => Decide(id, false, cancellationToken);

    [HttpPost("invitations")]
    public async Task<IActionResult> CreateInvitation(string? invitationEmail, CancellationToken cancellationToken)
    {
        invitationEmail = invitationEmail?.Trim();
        if (!string.IsNullOrEmpty(invitationEmail) && !MailAddresses.IsValid(invitationEmail))
        {
            ModelState.AddModelError(nameof(MembersIndex.InvitationEmail), "That doesn't look like an email address we can send mail to. Leave it empty for a link anyone can use once.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            var overview = await queries.GetOverviewAsync(null, 1, User.Id(), cancellationToken);
            return View(nameof(Index), new MembersIndex(overview, null) { InvitationEmail = invitationEmail });
        }
        var invitation = await invitations.CreateAsync(User.Id()!, invitationEmail, LinkFor, cancellationToken);
        return View("InvitationCreated", new InvitationCreatedPage(LinkFor(invitation.Token), invitation.Email, invitation.ExpiresAt, invitation.Emailed));
    }

    [HttpPost("invitations/{id:long}/revoke")]
    public async Task<IActionResult> RevokeInvitation(long id, CancellationToken cancellationToken) =>
        await invitations.RevokeAsync(id, cancellationToken) ? Done("Invitation revoked: its link no longer works.") : NotFound();

    [HttpPost("mode")]
    public async Task<IActionResult> SetMode(MembershipMode mode, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid || !Enum.IsDefined(mode))
        {
            return Problem400("Choose one of the listed ways to become a member.");
        }
        await standing.SetModeAsync(mode, cancellationToken);
        return Done("Membership setting saved.");
    }

    private async Task<IActionResult> SetBanned(string id, bool banned, CancellationToken cancellationToken)
    {
        if (id == User.Id())
        {
            return Problem400("You can't ban yourself.");
        }
        return await standing.SetBannedAsync(id, banned, cancellationToken)
            ? Done(banned ? "Banned: they can no longer sign in or take part." : "Unbanned.")
            : NotFound();
    }

    private async Task<IActionResult> Decide(long id, bool approve, CancellationToken cancellationToken)
    {
        var membershipUrl = SiteAddress.Absolute(Request, Url.Action("Index", "Membership")!);
        return await joinRequests.DecideAsync(id, approve, membershipUrl, cancellationToken) switch
        {
            RequestDecision.DecidedAndTold => Done(approve ? "Request approved; they have been told by email." : "Request declined; they have been told by email."),
            RequestDecision.DecidedNotTold => Done((approve ? "Request approved" : "Request declined") +
                ", but we couldn't email them just now (see the log). Their membership page shows the decision."),
            _ => NotFound(),
        };
    }

    private string LinkFor(string token) => SiteAddress.Absolute(Request, Url.Action("Invitation", "Membership", new { token })!);

    private RedirectToActionResult Done(string notice)
    {
        TempData[NoticeKey] = notice;
        return RedirectToAction(nameof(Index));
    }

    private ViewResult Problem400(string text)
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View("Message", new MessagePage("That didn't work", text, "Back to Members", "/admin/members"));
    }
}

public sealed record MembersIndex(MembersOverview Overview, string? Notice)
{
    public string? InvitationEmail { get; init; }
}

public sealed record InvitationCreatedPage(string Link, string? Email, DateTime ExpiresAt, bool Emailed);
