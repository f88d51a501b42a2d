using System.Security.Claims;

namespace Blog.Web.Identity;

/// <summary>
/// The authorization policies every endpoint uses. Roles are read from the database on each request
/// (see <see cref="CurrentMemberClaimsTransformation"/>), so a revoked member is refused at once.
/// </summary>
public static class Policies
{
    /// <summary>May comment: members, authors and the owner.</summary>
    public const string Member = "Member";

    /// <summary>May write posts: authors and the owner.</summary>
    public const string Author = "Author";

    /// <summary>Runs the blog.</summary>
    public const string Owner = "Owner";

    public static readonly string[] MemberRoleNames = NamesOf(MemberRoles.IsMember);

    public static readonly string[] AuthorRoleNames = NamesOf(MemberRoles.IsAuthor);

    public static readonly string[] OwnerRoleNames = NamesOf(role => role == MemberRole.Owner);

    public static string? Id(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);

    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(MemberClaimsPrincipalFactory.DisplayNameClaim) ?? user.Identity?.Name ?? "";

    public static bool IsMember(this ClaimsPrincipal user) => MemberRoleNames.Any(user.IsInRole);

    public static bool IsAuthor(this ClaimsPrincipal user) => AuthorRoleNames.Any(user.IsInRole);

    public static bool IsOwner(this ClaimsPrincipal user) => OwnerRoleNames.Any(user.IsInRole);

    public static bool IsBanned(this ClaimsPrincipal user) => user.IsInRole(CurrentMemberClaimsTransformation.BannedRole);

    private static string[] NamesOf(Func<MemberRole, bool> includes) =>
        [.. Enum.GetValues<MemberRole>().Where(includes).Select(MemberRoles.ToName)];
}
