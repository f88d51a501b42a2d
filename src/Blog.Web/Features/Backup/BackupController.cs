using System.Globalization;
using Blog.Web.Data;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Backup;

/// <summary>
/// The owner's backup page: a button that downloads a fresh, consistent backup (the zip the backup command writes). The download
/// is a POST (with the antiforgery token) because each one writes a new file on the server and reads the whole
/// database: not something a link on another site should be able to set off.
/// </summary>
[Authorize(Policy = Policies.Owner)]
[Route("admin/backup")]
public sealed class BackupController(DatabaseBackup backup, DataFolder folder, TimeProvider clock) : Controller
{
    [HttpGet("")]
    public IActionResult Index() => View(new BackupPage { DataFolder = folder.Root });

    [HttpPost("")]
    public async Task<IActionResult> Download(CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder.BackupsPath, $"download-{Guid.NewGuid():N}.zip");
        await backup.WriteAsync(path, cancellationToken);
        // The server keeps no copy of a downloaded backup: the file goes away once the response is sent.
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        var name = "quire-backup-" + clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "Z.zip";
        return File(stream, "application/zip", name);
    }
}

public sealed record BackupPage
{
    public required string DataFolder { get; init; }
}
