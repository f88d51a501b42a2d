using System.Net.Mime;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Export;

/// <summary>
/// The owner's export page: the whole blog as a file another blog imports, in Blogger's or WordPress's format. The
/// download is a POST (with the antiforgery token), like the backup's: it reads the whole database, not something a
/// link on another site should set off. The file streams out as it is written, whatever the blog's size.
/// </summary>
[Authorize(Policy = Policies.Owner)]
[Route("admin/export")]
public sealed class ExportController(BlogExporter exporter) : Controller
{
    [HttpGet("")]
    public IActionResult Index() => View(new ExportPage());

    [HttpPost("")]
    public async Task<IActionResult> Download(string? format, CancellationToken cancellationToken)
    {
        if (format is null || !BlogExporter.Formats.TryGetValue(format, out var chosen))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(nameof(Index), new ExportPage { Problem = "Choose one of the two formats below." });
        }
        Response.ContentType = BlogExporter.ContentType(chosen);
        Response.Headers.ContentDisposition = new ContentDisposition { FileName = exporter.FileName(chosen) }.ToString();
        await exporter.WriteAsync(chosen, Response.Body, cancellationToken);
        return new EmptyResult();
    }
}

public sealed record ExportPage
{
    public string? Problem { get; init; }
}
