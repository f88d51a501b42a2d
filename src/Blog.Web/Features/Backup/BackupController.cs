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
public sealed class BackupController(BlogDatabase database, DataFolder folder, TimeProvider clock) : Controller
{
    [HttpGet("")]
    public IActionResult Index() => View(Page());

    [HttpPost("")]
    public async Task<IActionResult> Download(CancellationToken cancellationToken)
    {
        if (database.Engine == DatabaseEngine.PostgreSql)
        {
            // No zip to make: the page says how to back up a PostgreSQL blog.
            return View(nameof(Index), Page());
        }
        // Asked for only here: the SQLite backup exists only on SQLite.
        var backup = HttpContext.RequestServices.GetRequiredService<DatabaseBackup>();
        var path = Path.Combine(folder.BackupsPath, $"download-{Guid.NewGuid():N}.zip");
        await backup.WriteAsync(path, cancellationToken);
        // The server keeps no copy of a downloaded backup: the file goes away once the response is sent.
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        var name = "quire-backup-" + clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "Z.zip";
        return File(stream, "application/zip", name);
    }

    private BackupPage Page() => new() { DataFolder = folder.Root, OnPostgreSql = database.Engine == DatabaseEngine.PostgreSql };
}

public sealed record BackupPage
{
    public required string DataFolder { get; init; }

    /// <summary>Everything is in the database then, and pg_dump is the backup.</summary>
    public bool OnPostgreSql { get; init; }
}
