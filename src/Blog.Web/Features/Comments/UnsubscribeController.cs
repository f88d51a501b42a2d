using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Comments;

/// <summary>
/// The link at the foot of reply emails. The token (Data Protection, purpose-bound, not time-limited so old
/// emails keep working) names the member, so no sign-in is needed; GET only asks, POST does it.
/// </summary>
public sealed class UnsubscribeController(CommentNotifier notifier, CommentStore store, TimeProvider clock) : Controller
{
    [HttpGet("/comments/unsubscribe")]
    public IActionResult Confirm(string? token)
    {
        if (notifier.ReadUnsubscribeToken(token) is null)
        {
            return BadLink();
        }
        return View("/Features/Comments/Unsubscribe.cshtml", token);
    }

    [HttpPost("/comments/unsubscribe")]
    public async Task<IActionResult> Unsubscribe(string? token, CancellationToken ct)
    {
        if (notifier.ReadUnsubscribeToken(token) is not { } memberId)
        {
            return BadLink();
        }
        await store.SetReplyNoticesAsync(memberId, wanted: false, clock.GetUtcNow().UtcDateTime, ct);
        return View("/Features/Comments/Message.cshtml", new CommentMessage
        {
            Heading = "You are unsubscribed",
            Text = "You will no longer get emails about replies to your comments. You can turn them on again from any comment form.",
            LinkHref = "/",
            LinkText = "Go to the blog",
        });
    }

    private ViewResult BadLink()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View("/Features/Comments/Message.cshtml", new CommentMessage
        {
            Heading = "This unsubscribe link doesn't work",
            Text = "It may have been cut short when it was copied. Open it again from the email, whole.",
        });
    }
}
