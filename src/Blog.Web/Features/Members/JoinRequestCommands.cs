using Blog.Web.Data;
using Blog.Web.Features.Settings;
using Blog.Web.Identity;
using Blog.Web.Mail;

namespace Blog.Web.Features.Members;

/// <summary>
/// Joining the blog by one's own move: at once while it is open to everyone, or by asking the owner while it
/// takes requests, and the owner's answer, which the requester is told by email.
/// </summary>
public sealed class JoinRequestCommands(
    BlogDatabase db, MembershipStore store, SiteSettingsStore settings, MailSender mail)
{
    /// <summary>Open mode: a signed-in reader (e.g. registered before the blog was opened) joins at once.</summary>
    public async Task<bool> JoinOpenBlogAsync(string memberId, CancellationToken ct)
    {
        if ((await settings.GetAsync(ct)).MembershipMode != MembershipMode.Open)
        {
            return false;
        }
        return await store.PromoteReaderAsync(memberId, ct);
    }

    public async Task<JoinRequestOutcome> RequestToJoinAsync(string memberId, string message, CancellationToken ct)
    {
        var standing = await store.FindStandingAsync(memberId, ct);
        if (standing is null || standing.BannedAt is not null)
        {
            return JoinRequestOutcome.Banned;
        }
        if (standing.Role.IsMember())
        {
            return JoinRequestOutcome.AlreadyMember;
        }
        if ((await settings.GetAsync(ct)).MembershipMode != MembershipMode.Request)
        {
            return JoinRequestOutcome.NotAccepting;
        }
        return await store.TryAddJoinRequestAsync(memberId, message.Trim(), ct)
            ? JoinRequestOutcome.Requested
            : JoinRequestOutcome.AlreadyRequested;
    }

    /// <summary>Approves or declines an open request and tells the requester by email.</summary>
    public async Task<RequestDecision> DecideAsync(long requestId, bool approve, string membershipUrl, CancellationToken ct)
    {
        MailRecipientRow requester;
        await using (var write = await db.BeginWriteAsync(ct))
        {
            var memberId = await store.DecideJoinRequestAsync(write, requestId, approve, ct);
            if (memberId is null)
            {
                return RequestDecision.NotFound;
            }
            if (approve)
            {
                await store.PromoteReaderAsync(write, memberId, ct);
            }
            // The answer changes the person's standing (declined, too), so it renews their stamp.
            requester = await store.RenewStampAsync(write, memberId, ct);
            await write.CommitAsync(ct);
        }

        var blog = (await settings.GetAsync(ct)).Title;
        var body = approve
            ? $"""
               Hello {requester.DisplayName},

               Your request to become a member of {blog} was approved. You can now comment on posts.

               {membershipUrl}
               """
            : $"""
               Hello {requester.DisplayName},

               Your request to become a member of {blog} was declined. You can still read the blog and keep your account.

               {membershipUrl}
               """;
        // The decision is committed whether or not the email goes out; the owner is told if it didn't.
        return await mail.TrySendAsync(requester.Email, approve ? $"Welcome to {blog}" : $"Your request to join {blog}", body, ct)
            ? RequestDecision.DecidedAndTold
            : RequestDecision.DecidedNotTold;
    }
}
