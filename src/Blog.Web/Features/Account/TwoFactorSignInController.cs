using Blog.Web.Hosting;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Blog.Web.Features.Account;

/// <summary>
/// The second step of signing in when two-factor is on: a code from the app, or one of the recovery codes.
/// Identity remembers who passed the password step in a short-lived cookie; wrong codes count towards lockout.
/// </summary>
[Route("account/sign-in")]
public sealed class TwoFactorSignInController(SignInManager<Member> signIn) : AccountFeatureController
{
    private const string LockedOut = "Too many failed attempts: this account is locked for a few minutes. Try again later or reset your password.";

    [HttpGet("two-factor")]
    public async Task<IActionResult> TwoFactor(string? returnUrl, bool rememberMe)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            return StartAgain(returnUrl);
        }
        return View("TwoFactorCode", new TwoFactorCodeForm { ReturnUrl = LocalOrNull(returnUrl), RememberMe = rememberMe });
    }

    [HttpPost("two-factor")]
    [EnableRateLimiting(RateLimits.SignIn)]
    public async Task<IActionResult> TwoFactor(TwoFactorCodeForm form)
    {
        form.ReturnUrl = LocalOrNull(form.ReturnUrl);
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            return StartAgain(form.ReturnUrl);
        }
        if (!ModelState.IsValid)
        {
            return CodeFailed(form, null);
        }
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(TwoFactorController.Normalize(form.Code), form.RememberMe, form.RememberDevice);
        if (result.Succeeded)
        {
            return LocalRedirect(form.ReturnUrl ?? "/");
        }
        return CodeFailed(form, result.IsLockedOut ? LockedOut
            : result.IsNotAllowed ? "This account can't sign in right now."
            : "That code didn't match. Codes change every 30 seconds: try the one the app shows now.");
    }

    [HttpGet("recovery-code")]
    public async Task<IActionResult> RecoveryCode(string? returnUrl)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            return StartAgain(returnUrl);
        }
        return View("RecoveryCodeSignIn", new RecoveryCodeForm { ReturnUrl = LocalOrNull(returnUrl) });
    }

    [HttpPost("recovery-code")]
    [EnableRateLimiting(RateLimits.SignIn)]
    public async Task<IActionResult> RecoveryCode(RecoveryCodeForm form)
    {
        form.ReturnUrl = LocalOrNull(form.ReturnUrl);
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            return StartAgain(form.ReturnUrl);
        }
        if (ModelState.IsValid)
        {
            var result = await signIn.TwoFactorRecoveryCodeSignInAsync(
                // Recovery codes look like "ab12c-3de4f": keep the dash, drop stray spaces.
                form.Code.Replace(" ", "", StringComparison.Ordinal));
            if (result.Succeeded)
            {
                return LocalRedirect(form.ReturnUrl ?? "/");
            }
            ModelState.AddModelError("", result.IsLockedOut ? LockedOut
                : result.IsNotAllowed ? "This account can't sign in right now."
                : "That recovery code isn't valid, or was already used.");
        }
        return View("RecoveryCodeSignIn", form);
    }

    private ViewResult CodeFailed(TwoFactorCodeForm form, string? message)
    {
        if (message is not null)
        {
            ModelState.AddModelError("", message);
        }
        return View("TwoFactorCode", form);
    }

    /// <summary>The password step expired (a few minutes) or never happened: back to the sign-in form.</summary>
    private RedirectToActionResult StartAgain(string? returnUrl) =>
        RedirectToAction(nameof(AccountController.SignIn), "Account", new { returnUrl = LocalOrNull(returnUrl) });
}
