using System.Globalization;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Account;

/// <summary>What a person can take with them (their data as JSON) and the way out (deleting the account).</summary>
[Route("account")]
[Authorize]
public sealed class AccountDataController(
    UserManager<Member> users,
    MemberSignInManager signIn,
    AccountDataExport export,
    AccountCommands commands,
    TimeProvider clock) : AccountFeatureController
{
    [HttpGet("data")]
    public IActionResult Download() => View("PasswordPrompt", DownloadPrompt());

    /// <summary>A POST although it only reads: it carries the password, which the file of everything stored needs.</summary>
    [HttpPost("data")]
    public async Task<IActionResult> Download([Bind(Prefix = nameof(PasswordPrompt.Form))] PasswordConfirmationForm form, CancellationToken cancellationToken)
    {
        var member = await users.GetUserAsync(User);
        if (member is null)
        {
            return Challenge();
        }
        if (!ModelState.IsValid || !await PasswordConfirmedAsync(signIn, member, form.Password, PromptPasswordField))
        {
            return View("PasswordPrompt", DownloadPrompt());
        }
        var json = await export.BuildAsync(member, cancellationToken);
        Response.Headers.CacheControl = "no-store";
        var name = string.Create(CultureInfo.InvariantCulture, $"quire-account-{clock.GetUtcNow():yyyy-MM-dd}.json");
        return File(json, "application/json", name);
    }

    [HttpGet("delete")]
    public IActionResult Delete() => View("Delete", new PasswordConfirmationForm());

    /// <summary>Deletes the account for good (see <see cref="AccountCommands.DeleteAsync"/>) and signs out.</summary>
    [HttpPost("delete")]
    public async Task<IActionResult> Delete(PasswordConfirmationForm form, CancellationToken cancellationToken)
    {
        var member = await users.GetUserAsync(User);
        if (member is null)
        {
            return Challenge();
        }
        if (!ModelState.IsValid || !await PasswordConfirmedAsync(signIn, member, form.Password, nameof(form.Password)))
        {
            return View("Delete", new PasswordConfirmationForm());
        }
        var deletion = await commands.DeleteAsync(member, cancellationToken);
        if (deletion != AccountDeletion.Deleted)
        {
            ModelState.AddModelError("", deletion == AccountDeletion.OnlyOwner
                ? "You are the blog's only owner, so your account can't be deleted: the blog would have nobody to run it."
                : "Your account changed while you were deleting it. Please try again.");
            return View("Delete", new PasswordConfirmationForm());
        }
        await signIn.SignOutAsync();
        return View("Message", new MessagePage("Account deleted",
            "Your account is gone. Comments you wrote stay on the blog, shown as from \"a deleted member\".", "Home", "/"));
    }

    private static PasswordPrompt DownloadPrompt() => new(
        "Download your data",
        "A JSON file with everything the blog keeps about you: your profile, comments, posts, reports, requests, invitations and settings. Enter your password to download it.",
        "Download my data");
}
