using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Account;

/// <summary>
/// Base for the account feature's controllers other than <see cref="AccountController"/>: the view engine looks
/// in /Features/{controller}/, but every account page lives in this one folder, so named views are found here.
/// </summary>
public abstract class AccountFeatureController : Controller
{
    public override ViewResult View(string? viewName, object? model) =>
        base.View(viewName is null || viewName.StartsWith('/') || viewName.StartsWith('~')
            ? viewName
            : $"/Features/Account/{viewName}.cshtml", model);

    /// <summary>The heading of every page for an emailed link that cannot be used.</summary>
    protected const string LinkFailedHeading = "That link didn't work";

    /// <summary>The plain "this link didn't work" page, answered with a 400, with a way on when there is one.</summary>
    protected ViewResult BadRequestMessage(string heading, string text, string? linkText = null, string? linkUrl = null)
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View("Message", new AccountMessage(heading, text, linkText, linkUrl));
    }

    protected string? LocalOrNull(string? url) => Url.IsLocalUrl(url) ? url : null;
}
