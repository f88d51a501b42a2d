using Blog.Web.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Account;

/// <summary>What the account feature's controllers share: the "link didn't work" page and password confirmation.</summary>
public abstract class AccountFeatureController : Controller
{
    /// <summary>The heading of every page for an emailed link that cannot be used.</summary>
    protected const string LinkFailedHeading = "That link didn't work";

    /// <summary>The plain "this link didn't work" page, answered with a 400, with a way on when there is one.</summary>
    protected ViewResult BadRequestMessage(string heading, string text, string? linkText = null, string? linkUrl = null)
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View("Message", new MessagePage(heading, text, linkText, linkUrl));
    }

    /// <summary>Where a <see cref="PasswordPrompt"/> page's password field reports its errors.</summary>
    protected const string PromptPasswordField = $"{nameof(PasswordPrompt.Form)}.{nameof(PasswordConfirmationForm.Password)}";

    /// <summary>
    /// True when <paramref name="password"/> is the signed-in person's password; otherwise the error is added to
    /// <paramref name="field"/> so the form can be shown again, with nothing changed.
    /// </summary>
    protected async Task<bool> PasswordConfirmedAsync(MemberSignInManager signIn, Member member, string password, string field)
    {
        var result = await signIn.ConfirmPasswordAsync(member, password);
        if (!result.Succeeded)
        {
            ModelState.AddModelError(field, result.IsLockedOut
                ? "Too many wrong passwords: your account is locked for a few minutes. Try again later."
                : "That isn't your password.");
        }
        return result.Succeeded;
    }

    protected string? LocalOrNull(string? url) => Url.IsLocalUrl(url) ? url : null;
}
