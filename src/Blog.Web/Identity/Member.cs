using Microsoft.AspNetCore.Identity;

namespace Blog.Web.Identity;

/// <summary>A person with an account on the blog. What they may do depends on <see cref="Role"/>.</summary>
public sealed class Member : IdentityUser
{
    public const int DisplayNameMaxLength = 60;

    /// <summary>Shown next to their comments and posts; always rendered encoded.</summary>
    public string DisplayName { get; set; } = "";

    public MemberRole Role { get; set; } = MemberRole.Reader;

    /// <summary>
    /// When the owner banned them. A banned person cannot sign in, and a ban from the owner's pages also ends their
    /// sessions (a new security stamp). A session that outlives a ban written some other way carries only the
    /// "banned" role from its next request on: it can reach the person's own account and nothing else.
    /// </summary>
    public DateTime? BannedAt { get; set; }

    public DateTime CreatedAt { get; set; }

    public string? AuthenticatorKey { get; set; }

    /// <summary>Unused two-factor recovery codes, separated by ';'.</summary>
    public string? RecoveryCodes { get; set; }

    public bool IsBanned => BannedAt is not null;
}

/// <summary>What someone may do, in increasing order: each role can do everything the ones before it can.</summary>
public enum MemberRole
{
    /// <summary>Registered, may manage their account, may not comment.</summary>
    Reader = 0,

    /// <summary>May comment.</summary>
    Member = 1,

    /// <summary>May also write and publish their own posts.</summary>
    Author = 2,

    /// <summary>Runs the blog: settings, members, every post, moderation.</summary>
    Owner = 3,
}

public static class MemberRoles
{
    /// <summary>The value stored in <c>members.role</c> and used as the role claim.</summary>
    public static string ToName(this MemberRole role) => role switch
    {
        MemberRole.Reader => "reader",
        MemberRole.Member => "member",
        MemberRole.Author => "author",
        MemberRole.Owner => "owner",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>The role whose stored name is <paramref name="name"/>; false for a name no role has.</summary>
    public static bool TryParse(string? name, out MemberRole role)
    {
        foreach (var candidate in Enum.GetValues<MemberRole>())
        {
            if (candidate.ToName() == name)
            {
                role = candidate;
                return true;
            }
        }
        role = default;
        return false;
    }

    public static bool IsMember(this MemberRole role) => role >= MemberRole.Member;

    public static bool IsAuthor(this MemberRole role) => role >= MemberRole.Author;
}
