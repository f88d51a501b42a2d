using System.Security.Claims;
using Blog.Web.Data;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Blog.Web.Identity;

/// <summary>
/// Makes every request see the person as they stand <em>now</em>, not as they stood when their cookie was
/// issued: the role and display name come from the database. A session that outlives a ban (the owner's pages end
/// it with a new security stamp) loses every role, so anything beyond the person's own account answers 403; a
/// deleted person, or a cookie whose security stamp is stale (password changed, banned, signed out everywhere),
/// is treated as anonymous.
/// </summary>
public sealed class CurrentMemberClaimsTransformation(BlogDatabase db, IOptions<IdentityOptions> identityOptions)
    : IClaimsTransformation
{
    private const string CheckedClaim = "quire:checked";

    /// <summary>The only role a banned person has: it satisfies no policy.</summary>
    public const string BannedRole = "banned";

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        // Only the sign-in cookie describes a signed-in person. Identity's other cookies (the half-way two-factor
        // step, "remember this device") hold just a user id and must reach SignInManager untouched.
        if (principal.Identity is not ClaimsIdentity { IsAuthenticated: true, AuthenticationType: var scheme } identity
            || scheme != IdentityConstants.ApplicationScheme
            || identity.HasClaim(c => c.Type == CheckedClaim))
        {
            return principal;
        }
        var claimTypes = identityOptions.Value.ClaimsIdentity;
        var id = identity.FindFirst(claimTypes.UserIdClaimType)?.Value;
        if (id is null)
        {
            return Anonymous;
        }

        const string sql = "SELECT role, display_name, security_stamp, banned_at FROM members WHERE id = @Id;";
        await using var connection = await db.OpenAsync();
        var current = await connection.QuerySingleOrDefaultAsync<CurrentMemberRow>(sql, new { Id = id });
        var cookieStamp = identity.FindFirst(claimTypes.SecurityStampClaimType)?.Value;
        if (current is null || current.SecurityStamp != cookieStamp)
        {
            return Anonymous;
        }

        var fresh = new ClaimsIdentity(
            identity.Claims.Where(c => c.Type != ClaimTypes.Role && c.Type != MemberClaimsPrincipalFactory.DisplayNameClaim),
            identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType);
        fresh.AddClaim(new Claim(ClaimTypes.Role, current.BannedAt is null ? current.Role : BannedRole));
        fresh.AddClaim(new Claim(MemberClaimsPrincipalFactory.DisplayNameClaim, current.DisplayName));
        fresh.AddClaim(new Claim(CheckedClaim, "1"));
        return new ClaimsPrincipal(fresh);
    }

    private static ClaimsPrincipal Anonymous => new(new ClaimsIdentity());

    private sealed record CurrentMemberRow
    {
        public string Role { get; init; } = "";

        public string DisplayName { get; init; } = "";

        public string? SecurityStamp { get; init; }

        public DateTime? BannedAt { get; init; }
    }
}
