using System.Text;
using Blog.Web.Features.Settings;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using QRCoder;

namespace Blog.Web.Features.Account;

/// <summary>
/// Two-factor sign-in with an authenticator app: set up (shared key + QR code, then a code to prove it works),
/// recovery codes, turning it off and replacing the key.
/// </summary>
[Route("account/two-factor")]
[Authorize]
public sealed class TwoFactorController(UserManager<Member> users, MemberSignInManager signIn, SiteSettingsStore settings)
    : AccountFeatureController
{
    private const int RecoveryCodeCount = 10;

    [HttpGet("")]
    public async Task<IActionResult> Index()
    {
        var member = await users.GetUserAsync(User);
        return member is null ? Challenge() : View("TwoFactorSettings", await SettingsFor(member, new TwoFactorEnableForm()));
    }

    /// <summary>Creates a shared key (a state change, hence a POST) so the setup steps can show it.</summary>
    [HttpPost("start")]
    public async Task<IActionResult> Start()
    {
        var member = await users.GetUserAsync(User);
        if (member is null)
        {
            return Challenge();
        }
        if (!member.TwoFactorEnabled && string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(member)))
        {
            await users.ResetAuthenticatorKeyAsync(member);
            await CurrentSession.KeepAsync(signIn, HttpContext, member);
        }
        return RedirectToAction(nameof(Index));
    }

    [HttpPost("enable")]
    public async Task<IActionResult> Enable([Bind(Prefix = nameof(TwoFactorSettings.Form))] TwoFactorEnableForm form)
    {
        var member = await users.GetUserAsync(User);
        if (member is null)
        {
            return Challenge();
        }
        if (member.TwoFactorEnabled || string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(member)))
        {
            return RedirectToAction(nameof(Index));
        }
        if (ModelState.IsValid)
        {
            var valid = await users.VerifyTwoFactorTokenAsync(member, users.Options.Tokens.AuthenticatorTokenProvider, Normalize(form.Code));
            if (valid)
            {
                await users.SetTwoFactorEnabledAsync(member, enabled: true);
                var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(member, RecoveryCodeCount);
                await CurrentSession.KeepAsync(signIn, HttpContext, member);
                return RecoveryCodes(codes, justEnabled: true);
            }
            ModelState.AddModelError($"{nameof(TwoFactorSettings.Form)}.{nameof(form.Code)}",
                "That code didn't match. Check the app shows this blog's account, and that your device's clock is right.");
        }
        return View("TwoFactorSettings", await SettingsFor(member, form));
    }

    [HttpPost("recovery-codes")]
    public async Task<IActionResult> RegenerateRecoveryCodes()
    {
        var member = await users.GetUserAsync(User);
        if (member is null)
        {
            return Challenge();
        }
        if (!member.TwoFactorEnabled)
        {
            return RedirectToAction(nameof(Index));
        }
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(member, RecoveryCodeCount);
        return RecoveryCodes(codes, justEnabled: false);
    }

    [HttpGet("disable")]
    public IActionResult Disable() => View("PasswordPrompt", DisablePrompt());

    [HttpPost("disable")]
    public async Task<IActionResult> Disable([Bind(Prefix = nameof(PasswordPrompt.Form))] PasswordConfirmationForm form)
    {
        var member = await users.GetUserAsync(User);
        if (member is null)
        {
            return Challenge();
        }
        if (!ModelState.IsValid || !await PasswordConfirmedAsync(signIn, member, form.Password, PromptPasswordField))
        {
            return View("PasswordPrompt", DisablePrompt());
        }
        await users.SetTwoFactorEnabledAsync(member, enabled: false);
        await users.GenerateNewTwoFactorRecoveryCodesAsync(member, 0);
        await CurrentSession.KeepAsync(signIn, HttpContext, member);
        TempData["Notice"] = "Two-factor sign-in is off. Your password alone now signs you in.";
        return RedirectToAction(nameof(Index));
    }

    [HttpGet("reset-key")]
    public IActionResult ResetKey() => View("PasswordPrompt", ResetKeyPrompt());

    /// <summary>A new key invalidates the app's entries; two-factor stays off until the new key is verified.</summary>
    [HttpPost("reset-key")]
    public async Task<IActionResult> ResetKey([Bind(Prefix = nameof(PasswordPrompt.Form))] PasswordConfirmationForm form)
    {
        var member = await users.GetUserAsync(User);
        if (member is null)
        {
            return Challenge();
        }
        // It turns two-factor sign-in off, so it asks for the password as turning it off does.
        if (!ModelState.IsValid || !await PasswordConfirmedAsync(signIn, member, form.Password, PromptPasswordField))
        {
            return View("PasswordPrompt", ResetKeyPrompt());
        }
        await users.SetTwoFactorEnabledAsync(member, enabled: false);
        await users.ResetAuthenticatorKeyAsync(member);
        await CurrentSession.KeepAsync(signIn, HttpContext, member);
        TempData["Notice"] = "Your authenticator key was replaced and two-factor sign-in is off. Add the new key to your app to turn it back on.";
        return RedirectToAction(nameof(Index));
    }

    /// <summary>The QR code of the otpauth:// address, only while setting up (once on, the key is never shown again).</summary>
    [HttpGet("qr-code.png")]
    public async Task<IActionResult> QrCode(CancellationToken cancellationToken)
    {
        var member = await users.GetUserAsync(User);
        var key = member is null ? null : await users.GetAuthenticatorKeyAsync(member);
        if (member is null || member.TwoFactorEnabled || string.IsNullOrEmpty(key))
        {
            return NotFound();
        }
        var blog = (await settings.GetAsync(cancellationToken)).Title;
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(AuthenticatorUri(blog, member.Email ?? member.Id, key), QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(6);
        Response.Headers.CacheControl = "no-store";
        return File(png, "image/png");
    }

    /// <summary>The key-URI format authenticator apps read: otpauth://totp/Issuer:account?secret=...&amp;issuer=...</summary>
    public static string AuthenticatorUri(string issuer, string account, string key)
    {
        var label = Uri.EscapeDataString(issuer) + ":" + Uri.EscapeDataString(account);
        return $"otpauth://totp/{label}?secret={key}&issuer={Uri.EscapeDataString(issuer)}&digits=6&period=30";
    }

    /// <summary>"JBSWY3DPEHPK3PXP" as "jbsw y3dp ehpk 3pxp": easier to type into a phone.</summary>
    public static string FormatKey(string key)
    {
        var text = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            text.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }
        return text.ToString().TrimEnd().ToLowerInvariant();
    }

    /// <summary>People type codes with spaces or dashes ("123 456"); the token provider wants digits only.</summary>
    public static string Normalize(string code) => code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);

    private async Task<TwoFactorSettings> SettingsFor(Member member, TwoFactorEnableForm form)
    {
        var key = member.TwoFactorEnabled ? null : await users.GetAuthenticatorKeyAsync(member);
        return new TwoFactorSettings
        {
            Enabled = member.TwoFactorEnabled,
            RecoveryCodesLeft = member.TwoFactorEnabled ? await users.CountRecoveryCodesAsync(member) : 0,
            FormattedKey = string.IsNullOrEmpty(key) ? null : FormatKey(key),
            Form = form,
        };
    }

    private static PasswordPrompt DisablePrompt() => new(
        "Turn off two-factor sign-in",
        "Your password alone will sign you in again, and your recovery codes stop working. Enter your password to turn it off.",
        "Turn off two-factor sign-in",
        Dangerous: true);

    private static PasswordPrompt ResetKeyPrompt() => new(
        "Use a new authenticator key",
        "Your app's current entry stops working, and two-factor sign-in stays off until you add the new key to the app. Enter your password to continue.",
        "Use a new key",
        Dangerous: true);

    private ViewResult RecoveryCodes(IEnumerable<string>? codes, bool justEnabled)
    {
        Response.Headers.CacheControl = "no-store";
        ViewData["JustEnabled"] = justEnabled;
        return View("RecoveryCodes", (codes ?? []).ToList());
    }
}
