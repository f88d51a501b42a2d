using Blog.Web.Data;

namespace Blog.Web.Commands;

/// <summary>
/// A command that works on the SQLite file itself (its backup API, its pragmas), run only when the blog is on SQLite.
/// On PostgreSQL it says so and what to use instead, and exits 1 before it touches anything.
/// </summary>
public sealed class SqliteOnlyCommand(string name, IBlogCommand command, string onPostgreSql) : IBlogCommand
{
    public async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CommandConsole console, CancellationToken cancellationToken)
    {
        // GetService: restore runs with the blog stopped, on services that may hold no database yet.
        if (services.GetService<BlogDatabase>()?.Engine == DatabaseEngine.PostgreSql)
        {
            await console.Error.WriteLineAsync(
                $"{name} works on a SQLite database only, and this blog runs on PostgreSQL (Blog:Database:Provider). {onPostgreSql}");
            return 1;
        }
        return await command.RunAsync(services, args, console, cancellationToken);
    }
}
