using Blog.Web.Features.Account;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Setup;

/// <summary>Creating the owner of a fresh blog with the one-time link from the startup log. Gone once an owner exists.</summary>
[Route("setup")]
public sealed class SetupController(
    OwnerCommands owners, SetupToken setupToken, SignInManager<Member> signIn, CanonicalAddress address) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string? token, CancellationToken cancellationToken)
    {
        if (await owners.OwnerExistsAsync(cancellationToken))
        {
            return NotFound();
        }
        return await setupToken.MatchesAsync(token, cancellationToken) ? View(new SetupForm { Token = token }) : Refused();
    }

    [HttpPost("")]
    public async Task<IActionResult> Index(SetupForm form, CancellationToken cancellationToken)
    {
        if (await owners.OwnerExistsAsync(cancellationToken))
        {
            return NotFound();
        }
        if (!await setupToken.MatchesAsync(form.Token, cancellationToken))
        {
            return Refused();
        }
        if (!ModelState.IsValid)
        {
            return View(form);
        }

        Member? owner = null;
        var result = await setupToken.RedeemAsync(form.Token, async () =>
        {
            (var created, owner) = await owners.CreateOwnerAsync(form.Email, form.DisplayName, form.Password, cancellationToken);
            return created;
        }, cancellationToken);
        if (result is null)
        {
            return Refused();
        }
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Code.StartsWith("Password", StringComparison.Ordinal) ? nameof(SetupForm.Password) : "", error.Description);
            }
            return View(form);
        }
        await signIn.SignInAsync(owner!, isPersistent: false);
        await owners.RecordSetupAddressAsync($"{Request.Scheme}://{Request.Host}", cancellationToken);
        return View("Message", new MessagePage(
            "Your blog is ready",
            $"You are the owner, signed in as {owner!.DisplayName}. Links in emails and feeds use the address {address.Base} " +
                "(change it in Settings). Choose who may become a member on the Members page.",
            "Go to Members", "/admin/members"));
    }

    private ViewResult Refused()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View("Message", new MessagePage(
            "That setup link isn't valid",
            "Creating the owner needs the one-time link printed in the blog's log when it started. Copy the whole link from the latest start; a link that was already used, or that a later start replaced, no longer works."));
    }
}
