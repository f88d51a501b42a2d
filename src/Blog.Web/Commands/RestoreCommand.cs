using Blog.Web.Data;

namespace Blog.Web.Commands;

/// <summary>
/// <c>restore &lt;file&gt;</c>: replaces the blog's database and pictures with a backup, with the blog stopped. The backup
/// is checked first (its layout, integrity, a schema this Quire knows); the database and media/ it replaces are kept in backups/.
/// </summary>
public sealed class RestoreCommand : IBlogCommand
{
    private const string Usage = "Usage: restore <backup file>  (stop the blog first)";

    public async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CommandConsole console, CancellationToken cancellationToken)
    {
        if (args.Count != 1 || args[0].StartsWith('-'))
        {
            await console.Error.WriteLineAsync(Usage);
            return 1;
        }
        if (services.GetService<BlogDatabase>()?.Engine == DatabaseEngine.PostgreSql)
        {
            await console.Error.WriteLineAsync(PostgresBackup.Advice);
            return 1;
        }
        var source = Path.GetFullPath(args[0]);
        var result = services.GetRequiredService<DatabaseRestore>().Restore(source);
        if (result.Problem is not null)
        {
            await console.Error.WriteLineAsync(result.Problem);
            await console.Error.WriteLineAsync("Nothing was changed.");
            return 1;
        }
        await console.Out.WriteLineAsync($"Restored {source} (schema version {result.SchemaVersion}).");
        if (result.KeptAt is not null)
        {
            await console.Out.WriteLineAsync($"The database it replaced is kept at {result.KeptAt}.");
        }
        await WriteMediaAsync(result, console);
        if (result.MailSetAside > 0)
        {
            await console.Out.WriteLineAsync(
                $"The backup held {result.MailSetAside} unsent email(s); they will not be sent, as the blog the backup came from may have sent them since.");
        }
        await console.Out.WriteLineAsync(result.PendingMigrations > 0
            ? $"Start the blog: it will apply the {result.PendingMigrations} newer schema migration(s) at startup."
            : "Start the blog.");
        return 0;
    }

    private static async Task WriteMediaAsync(RestoreResult result, CommandConsole console)
    {
        var media = result.Media;
        var carried = media.FromCurrentFolder > 0 ? $", {media.FromCurrentFolder:N0} kept from the media folder it replaced" : "";
        await console.Out.WriteLineAsync(
            $"Restored {media.FromBackup + media.FromCurrentFolder:N0} picture file(s) ({media.Bytes:N0} bytes): {media.FromBackup:N0} from the backup{carried}.");
        if (result.MediaKeptAt is not null)
        {
            await console.Out.WriteLineAsync($"The picture files it replaced are kept in {result.MediaKeptAt}.");
        }
        if (media.NotListed > 0)
        {
            await console.Out.WriteLineAsync($"{media.NotListed:N0} picture file(s) in the backup are not used by its database and were left out.");
        }
        // The blog runs without these; their pictures answer 404 until uploaded again.
        await WriteNamesAsync(console, media.Missing, "picture file(s) the database lists are in neither the backup nor the media folder");
        await WriteNamesAsync(console, media.Damaged, "picture file(s) in the backup are damaged (not the size or the format the database says) and were left out");
    }

    private static async Task WriteNamesAsync(CommandConsole console, IReadOnlyList<string> names, string what)
    {
        if (names.Count > 0)
        {
            var shown = string.Join(", ", names.Take(10)) + (names.Count > 10 ? ", …" : "");
            await console.Error.WriteLineAsync($"{names.Count:N0} {what}: {shown}");
        }
    }
}
