using Blog.Web.Features.Account;
using Blog.Web.Features.Members;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Setup;

/// <summary>Creating the owner of a fresh blog with the one-time link from the startup log. Gone once an owner exists.</summary>
[Route("setup")]
public sealed class SetupController(
    MembershipService membership, SetupToken setupToken, SignInManager<Member> signIn, CanonicalAddress address, ReaderCache readerCache) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string? token, CancellationToken cancellationToken)
    {
        if (await membership.OwnerExistsAsync(cancellationToken))
        {
            return NotFound();
        }
        return setupToken.Matches(token) ? View(new SetupForm { Token = token }) : Refused();
    }

    [HttpPost("")]
    public async Task<IActionResult> Index(SetupForm form, CancellationToken cancellationToken)
    {
        if (await membership.OwnerExistsAsync(cancellationToken))
        {
            return NotFound();
        }
        if (!setupToken.Matches(form.Token))
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
            (var created, owner) = await membership.CreateOwnerAsync(form.Email, form.DisplayName, form.Password, cancellationToken);
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
        await RecordAddressAsync(cancellationToken);
        return View("Message", new MessagePage(
            "Your blog is ready",
            $"You are the owner, signed in as {owner!.DisplayName}. Links in emails and feeds use the address {address.Base} " +
                "(change it in Settings). Choose who may become a member on the Members page.",
            "Go to Members", "/admin/members"));
    }

    /// <summary>
    /// The one request whose Host the blog believes: it carried the token from the log, so it came from the owner,
    /// through the address the owner opens the blog at. Blog:BaseUrl, when configured, needs no guess.
    /// </summary>
    private async Task RecordAddressAsync(CancellationToken cancellationToken)
    {
        if (address.Configured is null && CanonicalAddress.TryParse($"{Request.Scheme}://{Request.Host}", out var used, out _))
        {
            await address.RecordAsync(used, cancellationToken);
            // Pages rendered before setup hold links made from the listening address.
            await readerCache.EverythingChangedAsync();
        }
    }

    private ViewResult Refused()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View("Message", new MessagePage(
            "That setup link isn't valid",
            "Creating the owner needs the one-time link printed in the blog's log when it started. Copy the whole link from the latest start; a link that was already used, or from an earlier start, no longer works."));
    }
}
