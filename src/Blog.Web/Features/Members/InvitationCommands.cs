using System.Security.Cryptography;
using System.Text;
using Blog.Web.Data;
using Blog.Web.Features.Settings;
using Blog.Web.Identity;
using Blog.Web.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Blog.Web.Features.Members;

/// <summary>
/// Invitation links: the owner creates (and may revoke) single-use links that expire; whoever follows one while
/// signed in becomes a member. Only a hash of a link's token is stored.
/// </summary>
public sealed class InvitationCommands(
    BlogDatabase db,
    MembershipStore store,
    UserManager<Member> users,
    SiteSettingsStore settings,
    MailSender mail,
    IOptions<MembershipOptions> options,
    TimeProvider clock)
{
    /// <summary>Creates a single-use invitation; one bound to an email address is also sent there.</summary>
    public async Task<CreatedInvitation> CreateAsync(string ownerId, string? email, Func<string, string> linkFor, CancellationToken ct)
    {
        // Lower-case hex because the router lower-cases generated URLs, route values included.
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow().UtcDateTime;
        var expiresAt = now.AddDays(options.Value.InvitationDays);
        email = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        var id = await store.AddInvitationAsync(Hash(token), email, ownerId, now, expiresAt, ct);
        var invitation = new CreatedInvitation(id, token, email, expiresAt);
        if (email is not null)
        {
            // The invitation exists either way; when the email fails, the owner still gets the link to pass on.
            invitation = invitation with { Emailed = await SendAsync(invitation, linkFor(token), ct) };
        }
        return invitation;
    }

    /// <summary>The invitation a link's token names, and whether it can still be used.</summary>
    public async Task<(InvitationRow? Invitation, InvitationState State)> FindAsync(string token, CancellationToken ct)
    {
        var invitation = await store.FindInvitationAsync(Hash(token), ct);
        return (invitation, StateOf(invitation));
    }

    public async Task<InvitationAcceptance> AcceptAsync(string token, string memberId, CancellationToken ct)
    {
        var (invitation, state) = await FindAsync(token, ct);
        var member = await users.FindByIdAsync(memberId);
        if (state != InvitationState.Usable || invitation is null || member is null)
        {
            return ToAcceptance(state);
        }
        if (member.IsBanned)
        {
            return InvitationAcceptance.Banned;
        }
        if (member.Role.IsMember())
        {
            return InvitationAcceptance.AlreadyMember;
        }
        if (invitation.Email is not null && !string.Equals(invitation.Email, member.Email, StringComparison.OrdinalIgnoreCase))
        {
            return InvitationAcceptance.OtherEmail;
        }

        await using var write = await db.BeginWriteAsync(ct);
        if (!await store.UseInvitationAsync(write, invitation.Id, memberId, ct))
        {
            return InvitationAcceptance.Used;
        }
        await store.PromoteReaderAsync(write, memberId, ct);
        await write.CommitAsync(ct);
        return InvitationAcceptance.Accepted;
    }

    public Task<bool> RevokeAsync(long id, CancellationToken ct) => store.RevokeInvitationAsync(id, ct);

    private InvitationState StateOf(InvitationRow? invitation) => invitation switch
    {
        null => InvitationState.NotFound,
        { RevokedAt: not null } => InvitationState.Revoked,
        { UsedAt: not null } => InvitationState.Used,
        _ when invitation.ExpiresAt <= clock.GetUtcNow().UtcDateTime => InvitationState.Expired,
        _ => InvitationState.Usable,
    };

    private static InvitationAcceptance ToAcceptance(InvitationState state) => state switch
    {
        InvitationState.Expired => InvitationAcceptance.Expired,
        InvitationState.Used => InvitationAcceptance.Used,
        InvitationState.Revoked => InvitationAcceptance.Revoked,
        _ => InvitationAcceptance.NotFound,
    };

    private async Task<bool> SendAsync(CreatedInvitation invitation, string link, CancellationToken ct)
    {
        var blog = (await settings.GetAsync(ct)).Title;
        return await mail.TrySendAsync(invitation.Email!, $"You're invited to join {blog}",
            $"""
            Hello,

            You're invited to become a member of {blog}, which lets you comment on its posts.
            Open this link to create an account (or sign in) and accept:

            {link}

            The link works once and expires on {invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC.
            """, ct);
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
