using System.Security.Cryptography;
using Blog.Web.Features.IndieAuth;
using Blog.Web.Hosting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Blog.Web.Features.Moderation;

/// <summary>
/// Makes the approve and reject links of a held comment's mail: a random 256-bit secret each, its hash for the
/// database, the link itself on the blog's own address (never a request's), and when it stops working.
/// </summary>
public sealed class MailLinks(CanonicalAddress address, IOptions<ModerationOptions> options, TimeProvider clock)
{
    /// <summary>32 random bytes in unpadded base64url.</summary>
    public const int TokenLength = 43;

    public const string ApprovePath = "/moderation/approve";

    public const string RejectPath = "/moderation/reject";

    public static string PathOf(string decision) => decision == MailLinkDecision.Approve ? ApprovePath : RejectPath;

    /// <summary>The two links for one recipient of one mail.</summary>
    public IssuedMailLinks Issue(long commentId, string recipientId)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var expiresAt = now.AddDays(options.Value.MailLinkDays);
        var approve = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var reject = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        NewMailLink Row(string token, string decision) => new()
        {
            TokenHash = AccessTokenStore.Hash(token),
            CommentId = commentId,
            RecipientId = recipientId,
            Action = decision,
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        return new IssuedMailLinks(
            address.Absolute($"{ApprovePath}?token={approve}"),
            address.Absolute($"{RejectPath}?token={reject}"),
            expiresAt,
            [Row(approve, MailLinkDecision.Approve), Row(reject, MailLinkDecision.Reject)]);
    }

    /// <summary>
    /// Whether a token has the shape this class gives them. Anything else (cut short, padded, a megabyte of garbage)
    /// is refused before the database is asked.
    /// </summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: TokenLength } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

public sealed record IssuedMailLinks(string ApproveUrl, string RejectUrl, DateTime ExpiresAt, IReadOnlyList<NewMailLink> Rows);
