namespace Blog.Web.Commands;

/// <summary>
/// Command-line tasks that run instead of the web server: <c>dotnet run --project src/Blog.Web -- &lt;name&gt; …</c>.
/// Add a command by adding a row to the table.
/// </summary>
public static class BlogCommands
{
    private static readonly Dictionary<string, Func<IBlogCommand>> Table = new(StringComparer.Ordinal)
    {
        ["create-owner"] = () => new CreateOwnerCommand(),
        ["generate-data"] = () => new GenerateDataCommand(),
        ["backup"] = () => new SqliteOnlyCommand("backup", new BackupCommand(),
            "Back up the PostgreSQL database with pg_dump, or write the whole blog to a file with export."),
        ["restore"] = () => new SqliteOnlyCommand("restore", new RestoreCommand(),
            "Restore the PostgreSQL database with pg_restore, or bring an export file in with import."),
        ["import"] = () => new ImportCommand(),
        ["export"] = () => new ExportCommand(),
        ["copy-to-postgresql"] = () => new CopyToPostgresCommand(),
    };

    /// <summary>The command named by the first argument, or null to start the web server.</summary>
    public static IBlogCommand? Find(string[] args) =>
        args.Length > 0 && Table.TryGetValue(args[0], out var create) ? create() : null;
}

public interface IBlogCommand
{
    /// <summary>Runs with the app's services and the arguments after the command name; returns the exit code.</summary>
    Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CommandConsole console, CancellationToken cancellationToken);
}

/// <summary>What a command reads and writes, so tests can run one in-process.</summary>
public sealed record CommandConsole(TextReader In, TextWriter Out, TextWriter Error, Func<string, string?> GetEnvironmentVariable)
{
    public static CommandConsole FromProcess() =>
        new(Console.In, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
}
