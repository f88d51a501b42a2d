using Blog.Web.Features.Seo;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Blog.Web.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Blog.Web.Features.Account;

/// <summary>"Forgot your password?": an emailed link with Identity's reset token, then a form for the new password.</summary>
[Route("account")]
public sealed class PasswordResetController(UserManager<Member> users, SiteSettingsStore settings, MailOutbox outbox) : AccountFeatureController
{
    [HttpGet("forgot-password")]
    public IActionResult ForgotPassword(string? email) => View("ForgotPassword", new ForgotPasswordForm { Email = email ?? "" });

    [HttpPost("forgot-password")]
    [EnableRateLimiting(RateLimits.ForgotPassword)]
    public async Task<IActionResult> ForgotPassword(ForgotPasswordForm form, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return View("ForgotPassword", form);
        }
        var email = form.Email.Trim();
        var member = await users.FindByEmailAsync(email);
        if (member is null)
        {
            // Never reveal whether an address is registered: the same page, and the same token work, either way.
            await users.GeneratePasswordResetTokenAsync(new Member { Id = Guid.NewGuid().ToString(), SecurityStamp = Guid.NewGuid().ToString() });
        }
        else
        {
            var code = await users.GeneratePasswordResetTokenAsync(member);
            var link = SiteAddress.Absolute(Request, Url.Action(nameof(ResetPassword), "PasswordReset", new { userId = member.Id, code })!);
            var blog = (await settings.GetAsync(cancellationToken)).Title;
            // Queued, not sent here: waiting for the mail server would make known addresses answer more slowly.
            await outbox.EnqueueAsync(new OutgoingMail(member.Email!, $"Reset your password for {blog}",
                $"""
                Hello {member.DisplayName},

                Someone (hopefully you) asked to reset the password of your account on {blog}.
                To choose a new password, open this link within a day:

                {link}

                If you didn't ask for this, ignore this message: your password stays as it is.
                """), cancellationToken);
        }
        return View("Message", new MessagePage(
            "Check your email",
            $"If an account uses {email}, we've sent it a link to reset the password. The link works for one day."));
    }

    [HttpGet("reset-password")]
    public IActionResult ResetPassword(string? userId, string? code)
    {
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(code) || userId.Length > 64 || code.Length > 2048)
        {
            return BadRequestMessage(LinkFailedHeading, "That reset link isn't complete. Check that you copied the whole link from the email.");
        }
        return View("ResetPassword", new ResetPasswordForm { UserId = userId, Code = code });
    }

    [HttpPost("reset-password")]
    public async Task<IActionResult> ResetPassword(ResetPasswordForm form)
    {
        if (ModelState[nameof(form.UserId)]?.Errors.Count > 0 || ModelState[nameof(form.Code)]?.Errors.Count > 0)
        {
            return BadRequestMessage(LinkFailedHeading, "That reset link isn't complete. Check that you copied the whole link from the email.");
        }
        if (!ModelState.IsValid)
        {
            return View("ResetPassword", Blank(form));
        }
        var member = await users.FindByIdAsync(form.UserId);
        var result = member is null
            ? IdentityResult.Failed(users.ErrorDescriber.InvalidToken())
            : await users.ResetPasswordAsync(member, form.Code, form.NewPassword);
        if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken)))
        {
            var again = Url.Action(nameof(ForgotPassword));
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Message", new MessagePage(LinkFailedHeading,
                "That reset link has expired or was already used. Ask for a new one.", "Send a new link", again));
        }
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Code.StartsWith("Password", StringComparison.Ordinal) ? nameof(form.NewPassword) : "", error.Description);
            }
            return View("ResetPassword", Blank(form));
        }
        // Whoever followed the emailed link owns the address: a lockout from forgotten-password guesses ends here.
        await users.SetLockoutEndDateAsync(member!, null);
        await users.ResetAccessFailedCountAsync(member!);
        return View("Message", new MessagePage("Password changed",
            "Your new password is set, and any other signed-in sessions have ended. You can sign in now.",
            "Sign in", Url.Action(nameof(AccountController.SignIn), "Account")));
    }

    private static ResetPasswordForm Blank(ResetPasswordForm form) =>
        new() { UserId = form.UserId, Code = form.Code };
}
