using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Comments;

/// <summary>
/// The comment section under a post. The post page renders it with
/// <c>@await Component.InvokeAsync("CommentSection", new { postId = Model.Id })</c>; it reads commentPage,
/// commentOrder and replyTo from the page's query string and renders nothing for a post readers cannot see.
/// </summary>
public sealed class CommentSectionViewComponent(CommentSectionQueries query) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long postId)
    {
        var section = await query.LoadAsync(postId, HttpContext.User, CommentSectionRequest.From(Request.Query), HttpContext.RequestAborted);
        return section is null ? Content("") : View("CommentSection", section);
    }
}
