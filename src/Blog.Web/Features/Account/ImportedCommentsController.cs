using System.Globalization;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Account;

/// <summary>
/// Claiming the comments an import brought with one's own confirmed address (see <see cref="ImportedCommentClaims"/>).
/// The account page shows how many there are; this takes them. Anyone signed in may ask: it only ever matches
/// their own confirmed address.
/// </summary>
[Authorize]
[Route("account/imported-comments")]
public sealed class ImportedCommentsController(UserManager<Member> users, ImportedCommentClaims claims) : Controller
{
    [HttpPost("claim")]
    public async Task<IActionResult> Claim(CancellationToken ct)
    {
        var member = await users.GetUserAsync(User);
        if (member is null)
        {
            return Challenge();
        }
        if (!member.EmailConfirmed)
        {
            TempData["Notice"] = "Confirm your email address first: only a confirmed address can make imported comments yours.";
            return RedirectToAction("Index", "Manage");
        }
        var claimed = await claims.ClaimAsync(member, ct);
        TempData["Notice"] = claimed switch
        {
            0 => "There were no imported comments left to claim.",
            1 => "1 imported comment is now yours.",
            _ => string.Create(CultureInfo.InvariantCulture, $"{claimed:N0} imported comments are now yours."),
        };
        return RedirectToAction("Index", "Manage");
    }
}
