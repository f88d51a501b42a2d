using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Blog.Web.Features.Moderation;

/// <summary>
/// The approve and reject links of a held comment's mail. No sign-in: the link's secret is the authorization, for
/// its one comment. GET only asks (mail systems' link scanners follow GET links); the page's button POSTs, with an
/// antiforgery token like every form, and the POST is rate-limited per client so nobody can guess at secrets.
/// </summary>
public sealed class MailLinksController(MailLinkCommands commands) : Controller
{
    private const string Decisions = "{decision:regex(^(approve|reject)$)}";

    // HEAD too: link checkers ask with it, and a 404 from the catch-all would read as a broken link. Both only read.
    [HttpGet("/moderation/" + Decisions)]
    [HttpHead("/moderation/" + Decisions)]
    public async Task<IActionResult> Confirm(string decision, string? token, CancellationToken ct) =>
        Answer(await commands.ReadAsync(decision, token, ct));

    [HttpPost("/moderation/" + Decisions)]
    [EnableRateLimiting(ModerationSetup.MailLinkDecisions)]
    public async Task<IActionResult> Decide(string decision, [FromForm] string? token, CancellationToken ct) =>
        Answer(await commands.DecideAsync(decision, token, ct));

    private ViewResult Answer(MailLinkOutcome outcome)
    {
        // The page holds a working secret and a comment readers may not see: no cache may keep it.
        Response.Headers.CacheControl = "no-store";
        Response.StatusCode = outcome.StatusCode;
        return outcome.Confirm is { } confirm ? View("MailLink", confirm) : View("Message", outcome.Message);
    }
}
