using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Posts;

/// <summary>
/// Answers 404 for any address no other route takes, whatever the method. Without it, a POST to an unknown
/// one-, two- or three-segment address would get 405: routing picks the method before it checks the
/// year/month constraints of the archive and post routes, so those GET-only templates would seem to match.
/// A reader page like any other (see <see cref="Hosting.ReaderPageAttribute"/>): its 404 is cached, so made-up
/// addresses are not rendered again and again.
/// </summary>
[IgnoreAntiforgeryToken]
[Hosting.ReaderPage]
public sealed class UnmatchedAddressController : Controller
{
    [Route("{**path}", Order = int.MaxValue)]
    public IActionResult NotFoundAnywhere() => NotFound();
}
