using Blog.Web.Features.Seo;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Blog.Web.Mail;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Account;

/// <summary>
/// /account: anyone signed in (members or not, even banned people) manages their own account here: display name,
/// password and email.
/// </summary>
[Route("account")]
[Authorize]
public sealed class ManageController(
    UserManager<Member> users,
    MemberSignInManager signIn,
    SiteSettingsStore settings,
    MailSender mail,
    ReaderCache readerCache,
    ImportedCommentClaims importedComments) : AccountFeatureController
{
    [HttpGet("")]
    public async Task<IActionResult> Index()
    {
        var member = await CurrentAsync();
        if (member is null)
        {
            return Challenge();
        }
        return View("Manage", new AccountOverview(member.DisplayName, member.Email ?? "", Describe(member), member.TwoFactorEnabled, member.CreatedAt)
        {
            ClaimableComments = await importedComments.CountAsync(member, HttpContext.RequestAborted),
        });
    }

    [HttpGet("display-name")]
    public async Task<IActionResult> DisplayName()
    {
        var member = await CurrentAsync();
        return member is null ? Challenge() : View("DisplayName", new DisplayNameForm { DisplayName = member.DisplayName });
    }

    [HttpPost("display-name")]
    public async Task<IActionResult> DisplayName(DisplayNameForm form)
    {
        var member = await CurrentAsync();
        if (member is null)
        {
            return Challenge();
        }
        if (!ModelState.IsValid)
        {
            return View("DisplayName", form);
        }
        member.DisplayName = form.DisplayName;
        var result = await users.UpdateAsync(member);
        if (!result.Succeeded)
        {
            AddErrors(result, "");
            return View("DisplayName", form);
        }
        // The name shows next to the person's comments and as the byline of their posts.
        await readerCache.EverythingChangedAsync();
        TempData["Notice"] = "Your display name is saved.";
        return RedirectToAction(nameof(Index));
    }

    [HttpGet("password")]
    public IActionResult ChangePassword() => View("ChangePassword", new ChangePasswordForm());

    [HttpPost("password")]
    public async Task<IActionResult> ChangePassword(ChangePasswordForm form)
    {
        var member = await CurrentAsync();
        if (member is null)
        {
            return Challenge();
        }
        if (!ModelState.IsValid)
        {
            return View("ChangePassword", new ChangePasswordForm());
        }
        // Confirmed first, so that wrong guesses here count towards the lockout as they do at sign-in.
        if (!await PasswordConfirmedAsync(signIn, member, form.CurrentPassword, nameof(form.CurrentPassword)))
        {
            return View("ChangePassword", new ChangePasswordForm());
        }
        var result = await users.ChangePasswordAsync(member, form.CurrentPassword, form.NewPassword);
        if (!result.Succeeded)
        {
            AddErrors(result, nameof(form.NewPassword));
            return View("ChangePassword", new ChangePasswordForm());
        }
        // The new security stamp ends every other session; this one is re-issued with it.
        await CurrentSession.KeepAsync(signIn, HttpContext, member);
        TempData["Notice"] = "Your password is changed. You were signed out everywhere else.";
        return RedirectToAction(nameof(Index));
    }

    [HttpGet("email")]
    public async Task<IActionResult> ChangeEmail()
    {
        var member = await CurrentAsync();
        return member is null ? Challenge() : View("ChangeEmail", new ChangeEmailForm { CurrentEmail = member.Email ?? "" });
    }

    [HttpPost("email")]
    public async Task<IActionResult> ChangeEmail(ChangeEmailForm form, CancellationToken cancellationToken)
    {
        var member = await CurrentAsync();
        if (member is null)
        {
            return Challenge();
        }
        form.CurrentEmail = member.Email ?? "";
        if (!ModelState.IsValid || !await PasswordConfirmedAsync(signIn, member, form.CurrentPassword, nameof(form.CurrentPassword)))
        {
            return View("ChangeEmail", form);
        }
        var newEmail = form.NewEmail.Trim();
        if (string.Equals(newEmail, member.Email, StringComparison.OrdinalIgnoreCase))
        {
            ModelState.AddModelError(nameof(form.NewEmail), "That is already your email address.");
            return View("ChangeEmail", form);
        }
        if (await users.FindByEmailAsync(newEmail) is not null)
        {
            ModelState.AddModelError(nameof(form.NewEmail), "Another account already uses that email address.");
            return View("ChangeEmail", form);
        }
        var code = await users.GenerateChangeEmailTokenAsync(member, newEmail);
        var link = SiteAddress.Absolute(Request, Url.Action(nameof(ConfirmEmailChange), "Manage", new { userId = member.Id, email = newEmail, code })!);
        var blog = (await settings.GetAsync(cancellationToken)).Title;
        var sent = await mail.TrySendAsync(newEmail, $"Confirm your new email for {blog}",
            $"""
            Hello {member.DisplayName},

            To use this address for your account on {blog}, open this link within a day:

            {link}

            Until you do, your account keeps its current address. If you didn't ask for this, ignore this message.
            """, cancellationToken);
        if (!sent)
        {
            // Nothing changed yet: the account keeps its address until a link is followed, so asking again is safe.
            ModelState.AddModelError(nameof(form.NewEmail),
                "We couldn't send the confirmation email just now, so your address is unchanged. Try again in a few minutes.");
            return View("ChangeEmail", form);
        }
        return View("Message", new MessagePage("Check your new inbox",
            $"We sent a confirmation link to {newEmail}. Your email address changes when you follow it.",
            "Back to your account", Url.Action(nameof(Index))));
    }

    /// <summary>The emailed link only shows a button: following a link must not change anything by itself.</summary>
    [HttpGet("confirm-email-change")]
    [AllowAnonymous]
    public IActionResult ConfirmEmailChange(ConfirmEmailChangeForm form) =>
        ModelState.IsValid
            ? View("ConfirmEmailChange", form)
            : BadRequestMessage(LinkFailedHeading, "That confirmation link isn't complete. Check that you copied the whole link from the email.");

    [HttpPost("confirm-email-change")]
    [AllowAnonymous]
    [ActionName(nameof(ConfirmEmailChange))]
    public async Task<IActionResult> ConfirmEmailChangePost(ConfirmEmailChangeForm form, CancellationToken cancellationToken)
    {
        var member = ModelState.IsValid ? await users.FindByIdAsync(form.UserId) : null;
        if (member is null)
        {
            return BadRequestMessage(LinkFailedHeading, "That confirmation link isn't complete. Check that you copied the whole link from the email.");
        }
        var oldEmail = member.Email;
        // UserName == Email in this app; set it first so the one update ChangeEmailAsync makes saves both.
        member.UserName = form.Email;
        var result = await users.ChangeEmailAsync(member, form.Email, form.Code);
        if (!result.Succeeded)
        {
            var taken = result.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName));
            return BadRequestMessage(LinkFailedHeading, taken
                ? "Another account started using that email address in the meantime, so yours wasn't changed."
                : "That confirmation link has expired or was already used. Ask for the change again from your account page.");
        }
        if (User.Id() == member.Id)
        {
            await CurrentSession.KeepAsync(signIn, HttpContext, member);
        }
        var told = true;
        if (oldEmail is not null)
        {
            var blog = (await settings.GetAsync(cancellationToken)).Title;
            told = await mail.TrySendAsync(oldEmail, $"Your email address on {blog} changed",
                $"""
                Hello {member.DisplayName},

                Your account on {blog} now uses {form.Email} instead of this address.
                If you didn't make this change, reset your password from the new address or contact the blog's owner.
                """, cancellationToken);
        }
        // The change stands either way; the notice to the old address is a courtesy, so its failure is only logged.
        return View("Message", new MessagePage("Email changed",
            $"Your account now uses {form.Email}. Sign in with it from now on." +
                (told ? "" : $" We couldn't send a notice of the change to {oldEmail} just now."),
            "Your account", Url.Action(nameof(Index))));
    }

    private async Task<Member?> CurrentAsync() => await users.GetUserAsync(User);

    private static string Describe(Member member) => member switch
    {
        { IsBanned: true } => "banned from taking part",
        { Role: MemberRole.Owner } => "owner of the blog",
        { Role: MemberRole.Author } => "author and member",
        { Role: MemberRole.Member } => "member",
        _ => "not yet a member",
    };

    private void AddErrors(IdentityResult result, string field)
    {
        foreach (var error in result.Errors)
        {
            ModelState.AddModelError(field, error.Description);
        }
    }
}
