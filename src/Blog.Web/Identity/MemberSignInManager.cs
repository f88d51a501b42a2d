using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Blog.Web.Identity;

/// <summary>
/// Identity's sign-in manager, plus the blog's rules: a banned person may not sign in, and a sign-in attempt tells
/// nobody but the holder of the right password anything about the account behind an address.
/// </summary>
public sealed class MemberSignInManager(
    UserManager<Member> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<Member> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<Member>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<Member> confirmation)
    : SignInManager<Member>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(Member user) =>
        !user.IsBanned && await base.CanSignInAsync(user);

    /// <summary>
    /// Signs in with an email address and password. An address without an account costs the same password hashing
    /// as one with an account and fails the same way, so neither the answer nor its time says whether it is known.
    /// </summary>
    public async Task<SignInResult> PasswordSignInByEmailAsync(string email, string password, bool isPersistent)
    {
        var user = await UserManager.FindByEmailAsync(email);
        if (user is null)
        {
            SpendPasswordCheckWork(password);
            return SignInResult.Failed;
        }
        return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure: true);
    }

    /// <summary>
    /// Identity answers "not allowed" (banned, unconfirmed) or "locked out" before it looks at the password, at once
    /// and without hashing, which tells anyone who types an address that it has an account. Here every attempt does
    /// the password work first: only the right password learns why the account may not sign in, and an attempt on a
    /// locked account is not judged at all, so a right guess cannot show through the lockout.
    /// </summary>
    public override async Task<SignInResult> CheckPasswordSignInAsync(Member user, string password, bool lockoutOnFailure)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (await IsLockedOut(user))
        {
            SpendPasswordCheckWork(password);
            return await LockedOut(user);
        }
        if (await CanSignInAsync(user))
        {
            return await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure);
        }
        if (await UserManager.CheckPasswordAsync(user, password))
        {
            return SignInResult.NotAllowed;
        }
        // Wrong guesses at a banned or unconfirmed account count towards the lockout like any other.
        if (lockoutOnFailure && UserManager.SupportsUserLockout)
        {
            await UserManager.AccessFailedAsync(user);
        }
        return SignInResult.Failed;
    }

    /// <summary>
    /// Checks the password of someone already signed in, before a change that whoever sits at an unattended browser
    /// must not make. Wrong passwords count towards the lockout as they do at sign-in, so these forms cannot be used
    /// to guess the password either; while the account is locked, no password is judged.
    /// </summary>
    public async Task<SignInResult> ConfirmPasswordAsync(Member user, string password)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (await IsLockedOut(user))
        {
            SpendPasswordCheckWork(password);
            return await LockedOut(user);
        }
        if (await UserManager.CheckPasswordAsync(user, password))
        {
            await ResetLockout(user);
            return SignInResult.Success;
        }
        await UserManager.AccessFailedAsync(user);
        return await IsLockedOut(user) ? await LockedOut(user) : SignInResult.Failed;
    }

    /// <summary>The hashing a password check costs, for attempts whose outcome must not depend on the password.</summary>
    private void SpendPasswordCheckWork(string password) => UserManager.PasswordHasher.HashPassword(new Member(), password);
}
