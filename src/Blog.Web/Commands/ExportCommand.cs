using Blog.Web.Data;
using Blog.Web.Features.Export;
using Blog.Web.Hosting;

namespace Blog.Web.Commands;

/// <summary>
/// <c>export --format blogger|wordpress [path]</c>: writes the whole blog as Blogger's classic export or WordPress's
/// WXR file, for another blog to import. Without a path the file goes into the current folder under a dated name.
/// Safe while the blog is serving: it only reads.
/// </summary>
public sealed class ExportCommand : IBlogCommand
{
    private const string Usage = "Usage: export --format blogger|wordpress [path of the new export file]";

    public async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CommandConsole console, CancellationToken cancellationToken)
    {
        if (!TryParse(args, out var formatName, out var path))
        {
            await console.Error.WriteLineAsync(Usage);
            return 1;
        }
        if (!BlogExporter.Formats.TryGetValue(formatName, out var format))
        {
            await console.Error.WriteLineAsync($"Unknown format '{formatName}': choose blogger or wordpress.");
            return 1;
        }
        var db = services.GetRequiredService<BlogDatabase>();
        if (db is SqliteDatabase sqlite && !File.Exists(sqlite.DatabasePath))
        {
            await console.Error.WriteLineAsync($"There is no database at {sqlite.DatabasePath} to export.");
            return 1;
        }
        await services.GetRequiredService<SchemaMigrator>().ApplyAsync(cancellationToken);
        var address = services.GetRequiredService<CanonicalAddress>();
        await address.LoadAsync(cancellationToken);
        if (address.Known is null)
        {
            // Not a failure: the file is complete, but its links name an address only this machine knows.
            await console.Error.WriteLineAsync(
                $"The blog has no address yet (Blog:BaseUrl or Settings): the export's links use {address.Base}.");
        }
        var exporter = services.GetRequiredService<BlogExporter>();
        var destination = Path.GetFullPath(path ?? exporter.FileName(format));
        if (File.Exists(destination))
        {
            await console.Error.WriteLineAsync($"{destination} already exists; choose a new file name.");
            return 1;
        }
        // Written beside the destination and moved into place when complete: a failed export leaves no half file.
        var partial = destination + ".partial";
        try
        {
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                await exporter.WriteAsync(format, file, cancellationToken);
            }
            File.Move(partial, destination);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            await console.Error.WriteLineAsync($"The export failed: {ex.Message}");
            return 1;
        }
        finally
        {
            File.Delete(partial);
        }
        await console.Out.WriteLineAsync($"Exported the blog as {formatName.ToLowerInvariant()} to {destination} ({new FileInfo(destination).Length:N0} bytes).");
        return 0;
    }

    private static bool TryParse(IReadOnlyList<string> args, out string format, out string? path)
    {
        format = "";
        path = null;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--format" && i + 1 < args.Count && format.Length == 0)
            {
                format = args[++i];
            }
            else if (!args[i].StartsWith('-') && path is null)
            {
                path = args[i];
            }
            else
            {
                return false;
            }
        }
        return format.Length > 0;
    }
}
