using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Comments;

/// <summary>
/// The link at the foot of reply emails. The token (Data Protection, purpose-bound, not time-limited so old
/// emails keep working) names the member, so no sign-in is needed; GET only asks, POST does it. Mail programs
/// that honour List-Unsubscribe-Post (RFC 8058) POST "List-Unsubscribe=One-Click" here with no page and so no
/// antiforgery token; every other POST is the confirmation page's form and still needs one.
/// </summary>
public sealed class UnsubscribeController(CommentCommands commands, CommentNotifier notifier, IAntiforgery antiforgery) : Controller
{
    /// <summary>The one-click request body of RFC 8058, also the value of the List-Unsubscribe-Post header.</summary>
    public const string OneClickBody = "List-Unsubscribe=One-Click";

    [HttpGet("/comments/unsubscribe")]
    public IActionResult Confirm(string? token)
    {
        if (notifier.ReadUnsubscribeToken(token) is null)
        {
            return BadLink();
        }
        return View("Unsubscribe", token);
    }

    // The global antiforgery filter is lifted for this action alone and checked below for everything except
    // the one-click request, whose only authority is the signed token (it cannot be guessed or forged).
    [IgnoreAntiforgeryToken]
    [HttpPost("/comments/unsubscribe")]
    public async Task<IActionResult> Unsubscribe(string? token, CancellationToken ct)
    {
        IFormCollection? form;
        try
        {
            form = Request.HasFormContentType ? await Request.ReadFormAsync(ct) : null;
        }
        catch (InvalidDataException)
        {
            // A form the reader refuses (a NUL in a value, a malformed body) carries no link anyone was sent.
            return BadLink();
        }
        var oneClick = string.Equals(form?["List-Unsubscribe"], "One-Click", StringComparison.Ordinal);
        if (!oneClick && !await antiforgery.IsRequestValidAsync(HttpContext))
        {
            return BadRequest();
        }
        if (!await commands.StopReplyNoticesAsync(token, ct))
        {
            return BadLink();
        }
        return View("Message", new MessagePage(
            "You are unsubscribed",
            "You will no longer get emails about replies to your comments. You can turn them on again from any comment form.",
            "Go to the blog",
            "/"));
    }

    private ViewResult BadLink()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View("Message", new MessagePage(
            "This unsubscribe link doesn't work",
            "It may have been cut short when it was copied. Open it again from the email, whole."));
    }
}
