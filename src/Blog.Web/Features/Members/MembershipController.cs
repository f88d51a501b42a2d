using Blog.Web.Features.Account;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Members;

/// <summary>Becoming a member: the signed-in person's membership page, requests to join, and invitation links.</summary>
public sealed class MembershipController(MembershipQueries queries, JoinRequestCommands joinRequests, InvitationCommands invitations) : Controller
{
    [Authorize]
    [HttpGet("membership")]
    public async Task<IActionResult> Index(string? notice, CancellationToken cancellationToken)
    {
        var status = await queries.GetStatusAsync(User.Id()!, cancellationToken);
        return status is null ? Forbid() : View("Membership", new MembershipPage(status, notice));
    }

    [Authorize]
    [HttpPost("membership/request")]
    public async Task<IActionResult> RequestToJoin(string? message, CancellationToken cancellationToken)
    {
        message = message?.Trim() ?? "";
        if (message.Length > MembershipPage.MessageMaxLength)
        {
            var status = await queries.GetStatusAsync(User.Id()!, cancellationToken);
            ModelState.AddModelError("message", $"Keep your message to {MembershipPage.MessageMaxLength} characters or fewer.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Membership", new MembershipPage(status!, null) { Message = message });
        }
        var outcome = await joinRequests.RequestToJoinAsync(User.Id()!, message, cancellationToken);
        return outcome switch
        {
            JoinRequestOutcome.Requested or JoinRequestOutcome.AlreadyRequested => RedirectToAction(nameof(Index), new { notice = "requested" }),
            JoinRequestOutcome.AlreadyMember => RedirectToAction(nameof(Index)),
            JoinRequestOutcome.NotAccepting => Message(StatusCodes.Status400BadRequest, "Requests are closed", "This blog doesn't take requests to join at the moment."),
            _ => Message(StatusCodes.Status403Forbidden, "You can't join", "This account has been banned from the blog."),
        };
    }

    [Authorize]
    [HttpPost("membership/join")]
    public async Task<IActionResult> Join(CancellationToken cancellationToken) =>
        await joinRequests.JoinOpenBlogAsync(User.Id()!, cancellationToken)
            ? RedirectToAction(nameof(Index))
            : Message(StatusCodes.Status400BadRequest, "You can't join this way", "This blog isn't open to everyone. See your membership page for how to join.", "/membership");

    [HttpGet("invitations/{token}")]
    public async Task<IActionResult> Invitation(string token, CancellationToken cancellationToken)
    {
        var (invitation, state) = await invitations.FindAsync(token, cancellationToken);
        if (state != InvitationState.Usable)
        {
            return Unusable(state);
        }
        var status = User.Identity?.IsAuthenticated == true ? await queries.GetStatusAsync(User.Id()!, cancellationToken) : null;
        return View("Invitation", new InvitationPage(token, invitation!, status, Request.Path));
    }

    [Authorize]
    [HttpPost("invitations/{token}/accept")]
    public async Task<IActionResult> Accept(string token, CancellationToken cancellationToken)
    {
        var outcome = await invitations.AcceptAsync(token, User.Id()!, cancellationToken);
        return outcome switch
        {
            InvitationAcceptance.Accepted => RedirectToAction(nameof(Index), new { notice = "welcome" }),
            InvitationAcceptance.AlreadyMember => RedirectToAction(nameof(Index)),
            InvitationAcceptance.OtherEmail => Message(StatusCodes.Status403Forbidden, "This invitation is for someone else",
                "The invitation was sent to a different email address. Sign in with the account for that address, or ask the owner for a new invitation."),
            InvitationAcceptance.Banned => Message(StatusCodes.Status403Forbidden, "You can't join", "This account has been banned from the blog."),
            InvitationAcceptance.Expired => Unusable(InvitationState.Expired),
            InvitationAcceptance.Used => Unusable(InvitationState.Used),
            InvitationAcceptance.Revoked => Unusable(InvitationState.Revoked),
            _ => Unusable(InvitationState.NotFound),
        };
    }

    private ViewResult Unusable(InvitationState state) => state switch
    {
        InvitationState.Expired => Message(StatusCodes.Status410Gone, "This invitation has expired", "Invitation links work for a limited time. Ask the blog's owner for a new one."),
        InvitationState.Used => Message(StatusCodes.Status410Gone, "This invitation was already used", "Each invitation link works once. Ask the blog's owner for a new one."),
        InvitationState.Revoked => Message(StatusCodes.Status410Gone, "This invitation was withdrawn", "The blog's owner revoked this invitation link."),
        _ => Message(StatusCodes.Status404NotFound, "That invitation link isn't valid", "Check that you copied the whole link from the email or message you were sent."),
    };

    private ViewResult Message(int statusCode, string heading, string text, string? linkUrl = null)
    {
        Response.StatusCode = statusCode;
        return View("Message", new MessagePage(heading, text, linkUrl is null ? null : "Your membership", linkUrl));
    }
}

public sealed record MembershipPage(MembershipStatus Status, string? Notice)
{
    public const int MessageMaxLength = 500;

    public string? Message { get; init; }
}

public sealed record InvitationPage(string Token, InvitationRow Invitation, MembershipStatus? Viewer, string ReturnUrl);
