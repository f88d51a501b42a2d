using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
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
    CommentSectionQuery section,
    CommentStore store,
    SiteSettingsStore settingsStore,
    IOptions<CommentOptions> options,
    ReaderCache readerCache,
    TimeProvider clock) : Controller
{
    [HttpPost("/comments")]
    public async Task<IActionResult> Create(CommentForm form, CancellationToken ct)
    {
        var outcome = await commands.CreateAsync(form, User, ct);
        if (outcome.Kind is CommentOutcomeKind.Invalid && outcome.Post is { } post)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            var parent = form.ParentId is { } parentId ? await store.FindAsync(parentId, ct) : null;
            return View("Compose", new ComposePage
            {
                PostTitle = post.Title,
                PostPath = await PostPathAsync(post, ct),
                Form = new CommentFormView
                {
                    PostId = post.Id,
                    ParentId = parent?.Id,
                    ReplyToName = parent is null ? null : parent.AuthorName ?? "a deleted member",
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
        return View("Edit", new EditPage { CommentId = comment!.Id, Body = comment.BodyMarkdown, PostPath = await PostPathAsync(post!, ct), MaxLength = options.Value.MaxLength });
    }

    [HttpPost("/comments/{id:long}/edit")]
    public async Task<IActionResult> Edit(long id, EditCommentForm form, CancellationToken ct)
    {
        var outcome = await commands.EditAsync(id, form.Body, User, ct);
        if (outcome.Kind is CommentOutcomeKind.Invalid && outcome.Post is { } post)
        {
            ModelState.AddModelError("", outcome.Message!);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Edit", new EditPage { CommentId = id, Body = form.Body ?? "", PostPath = await PostPathAsync(post, ct), MaxLength = options.Value.MaxLength });
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
        var comment = await store.FindAsync(id, ct);
        var post = comment is null ? null : await store.FindVisiblePostAsync(comment.PostId, clock.GetUtcNow().UtcDateTime, ct);
        if (comment is null || post is null || comment.IsRemoved || (comment.IsHeld && !CommentCommands.CanSeeHeld(User, comment)))
        {
            return NotFound();
        }
        if (CommentCommands.IsOwnComment(User, comment))
        {
            return await ResultAsync(CommentOutcome.Refused(post, CommentCommands.OwnCommentReport), ct);
        }
        return View("Report", new ReportPage { CommentId = id, Reason = "", CommentHtml = comment.BodyHtml, PostPath = await PostPathAsync(post, ct) });
    }

    [HttpPost("/comments/{id:long}/report")]
    public async Task<IActionResult> Report(long id, ReportCommentForm form, CancellationToken ct)
    {
        var outcome = await commands.ReportAsync(id, form.Reason, User, ct);
        if (outcome.Kind is CommentOutcomeKind.Invalid && outcome.Post is { } post)
        {
            var comment = await store.FindAsync(id, ct);
            ModelState.AddModelError("", outcome.Message!);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Report", new ReportPage { CommentId = id, Reason = form.Reason ?? "", CommentHtml = comment?.BodyHtml ?? "", PostPath = await PostPathAsync(post, ct) });
        }
        if (outcome.Kind is CommentOutcomeKind.Done)
        {
            return View("Message", new MessagePage(
                "Thank you for the report",
                "The owner of the blog will look at the comment.",
                "Back to the post",
                await PostPathAsync(outcome.Post!, ct) + "#c" + id));
        }
        return await ResultAsync(outcome, ct);
    }

    private async Task<IActionResult> ResultAsync(CommentOutcome outcome, CancellationToken ct)
    {
        switch (outcome.Kind)
        {
            case CommentOutcomeKind.Done:
                await readerCache.CommentsChangedAsync([outcome.Post!.Id]);
                // A new comment's post and thread are known already: no need to read them back to find its page.
                var location = outcome.ThreadRootId switch
                {
                    { } rootId when rootId == outcome.CommentId => await section.NewThreadAddressAsync(outcome.Post, rootId, User, ct),
                    { } rootId => await section.AddressAsync(outcome.Post, rootId, outcome.CommentId, User, ct),
                    null => await section.LocateAsync(outcome.CommentId, User, ct),
                };
                return Redirect(location ?? await PostPathAsync(outcome.Post, ct));
            case CommentOutcomeKind.NotFound:
                return NotFound();
            default:
                Response.StatusCode = outcome.Kind == CommentOutcomeKind.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
                return View("Message", new MessagePage(
                    outcome.Kind == CommentOutcomeKind.Forbidden ? "That can't be done" : "That didn't work",
                    outcome.Message ?? "",
                    "Back to the post",
                    outcome.Post is null ? null : await PostPathAsync(outcome.Post, ct)));
        }
    }

    private async Task<string> PostPathAsync(CommentablePost post, CancellationToken ct) =>
        PostUrls.PostPath(post.PublishedAt, post.Slug, PostUrls.TimeZone((await settingsStore.GetAsync(ct)).TimeZone));
}
