using Blog.Web.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Blog.Web.Features.Account;

public static class CurrentSession
{
    /// <summary>
    /// Re-issues this browser's sign-in cookie after the member's security stamp changed (new password, new email,
    /// 2FA on or off), so this session stays valid while every other session ends on its next request.
    /// </summary>
    /// <remarks>
    /// Identity's <c>RefreshSignInAsync</c> cannot be used here: it re-authenticates the request, and
    /// <see cref="CurrentMemberClaimsTransformation"/> already sees the stale stamp and answers "anonymous".
    /// The cookie's properties (remember me, expiry) and how the person signed in (the "amr" claim) are kept.
    /// </remarks>
    public static async Task KeepAsync(SignInManager<Member> signIn, HttpContext context, Member member)
    {
        var current = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var properties = current.Properties ?? new AuthenticationProperties();
        var method = context.User.FindFirst("amr");
        await signIn.SignInWithClaimsAsync(member, properties, method is null ? [] : [method]);
    }
}
