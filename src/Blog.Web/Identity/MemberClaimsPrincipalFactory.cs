using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Blog.Web.Identity;

/// <summary>Adds the display name and role to the sign-in cookie (the role is re-read on every request anyway).</summary>
public sealed class MemberClaimsPrincipalFactory(UserManager<Member> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<Member>(users, options)
{
    public const string DisplayNameClaim = "quire:display_name";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(Member user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(DisplayNameClaim, user.DisplayName));
        identity.AddClaim(new Claim(ClaimTypes.Role, user.Role.ToName()));
        return identity;
    }
}
