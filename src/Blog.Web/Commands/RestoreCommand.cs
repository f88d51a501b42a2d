using Blog.Web.Data;

namespace Blog.Web.Commands;

/// <summary>
/// <c>restore &lt;file&gt;</c>: replaces the blog's database with a backup, with the blog stopped. The backup is checked
/// first (integrity, and a schema this Quire knows); the database it replaces is kept in backups/.
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
}
