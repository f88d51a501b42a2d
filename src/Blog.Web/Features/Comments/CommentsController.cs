using Blog.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Blog.Web.Features.Comments;

/// <summary>
/// Comment actions. Membership is checked by the Member policy on every change (anonymous people are sent to
/// sign in, everyone else who is not a member right now gets the 403 page); the rules that depend on the comment
/// itself are in <see cref="CommentCommands"/>.
/// </summary>
[Authorize(Policy = Policies.Member)]
public sealed class CommentsController(
    CommentCommands commands,
    CommentSectionQueries section,
    IOptions<CommentOptions> options) : Controller
{
    [HttpPost("/comments")]
    public async Task<IActionResult> Create(CommentForm form, CancellationToken ct)
    {
        var outcome = await commands.CreateAsync(form, User, ct);
        if (outcome.Kind is CommentOutcomeKind.Invalid && outcome.Post is { } post)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Compose", new ComposePage
            {
                PostTitle = post.Title,
                PostPath = await section.PostPathAsync(post, ct),
                Form = new CommentFormView
                {
                    PostId = post.Id,
                    ParentId = outcome.ReplyTo?.Id,
                    ReplyToName = outcome.ReplyTo?.WriterName,
                    Body = form.Body ?? "",
                    EmailReplies = form.EmailReplies,
                    MaxLength = options.Value.MaxLength,
                    Error = outcome.Message,
                },
            });
        }
        return await ResultAsync(outcome, ct);
    }

    [AllowAnonymous]
    [HttpGet("/comments/{id:long}")]
    public async Task<IActionResult> Show(long id, CancellationToken ct)
    {
        var location = await section.LocateAsync(id, User, ct);
        return location is null ? NotFound() : Redirect(location);
    }

    [HttpGet("/comments/{id:long}/edit")]
    public async Task<IActionResult> Edit(long id, CancellationToken ct)
    {
        var (comment, post, refusal) = await commands.OwnEditableAsync(id, User, ct);
        if (refusal is not null)
        {
            return await ResultAsync(refusal, ct);
        }
        return View("Edit", new EditPage { CommentId = comment!.Id, Body = comment.BodyMarkdown, PostPath = await section.PostPathAsync(post!, ct), MaxLength = options.Value.MaxLength });
    }

    [HttpPost("/comments/{id:long}/edit")]
    public async Task<IActionResult> Edit(long id, EditCommentForm form, CancellationToken ct)
    {
        var outcome = await commands.EditAsync(id, form.Body, User, ct);
        if (outcome.Kind is CommentOutcomeKind.Invalid && outcome.Post is { } post)
        {
            ModelState.AddModelError("", outcome.Message!);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Edit", new EditPage { CommentId = id, Body = form.Body ?? "", PostPath = await section.PostPathAsync(post, ct), MaxLength = options.Value.MaxLength });
        }
        return await ResultAsync(outcome, ct);
    }

    [HttpPost("/comments/{id:long}/delete")]
    public async Task<IActionResult> Delete(long id, CancellationToken ct) =>
        await ResultAsync(await commands.DeleteOwnAsync(id, User, ct), ct);

    [HttpPost("/comments/{id:long}/remove")]
    public async Task<IActionResult> Remove(long id, CancellationToken ct) =>
        await ResultAsync(await commands.RemoveAsync(id, User, ct), ct);

    [HttpGet("/comments/{id:long}/report")]
    public async Task<IActionResult> Report(long id, CancellationToken ct)
    {
        var (comment, post, refusal) = await commands.ReportableAsync(id, User, ct);
        if (refusal is not null)
        {
            return await ResultAsync(refusal, ct);
        }
        return View("Report", new ReportPage { CommentId = id, Reason = "", CommentHtml = comment!.BodyHtml, PostPath = await section.PostPathAsync(post!, ct) });
    }

    [HttpPost("/comments/{id:long}/report")]
    public async Task<IActionResult> Report(long id, ReportCommentForm form, CancellationToken ct)
    {
        var outcome = await commands.ReportAsync(id, form.Reason, User, ct);
        if (outcome.Kind is CommentOutcomeKind.Invalid && outcome.Post is { } post)
        {
            ModelState.AddModelError("", outcome.Message!);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Report", new ReportPage { CommentId = id, Reason = form.Reason ?? "", CommentHtml = outcome.Comment?.BodyHtml ?? "", PostPath = await section.PostPathAsync(post, ct) });
        }
        if (outcome.Kind is CommentOutcomeKind.Done)
        {
            return View("Message", new MessagePage(
                "Thank you for the report",
                "The owner of the blog will look at the comment.",
                "Back to the post",
                await section.PostPathAsync(outcome.Post!, ct) + "#c" + id));
        }
        return await ResultAsync(outcome, ct);
    }

    private async Task<IActionResult> ResultAsync(CommentOutcome outcome, CancellationToken ct)
    {
        switch (outcome.Kind)
        {
            case CommentOutcomeKind.Done:
                return Redirect(await section.AddressAfterAsync(outcome, User, ct));
            case CommentOutcomeKind.NotFound:
                return NotFound();
            default:
                Response.StatusCode = outcome.Kind == CommentOutcomeKind.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
                return View("Message", new MessagePage(
                    outcome.Kind == CommentOutcomeKind.Forbidden ? "That can't be done" : "That didn't work",
                    outcome.Message ?? "",
                    "Back to the post",
                    outcome.Post is null ? null : await section.PostPathAsync(outcome.Post, ct)));
        }
    }
}
