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

    /// <summary>The plain "this link didn't work" page, answered with a 400.</summary>
    protected ViewResult BadRequestMessage(string heading, string text)
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View("Message", new AccountMessage(heading, text));
    }

    protected string? LocalOrNull(string? url) => Url.IsLocalUrl(url) ? url : null;
}
