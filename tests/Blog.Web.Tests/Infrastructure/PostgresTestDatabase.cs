using Blog.Web.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// An empty database of its own on the PostgreSQL server named by <c>QUIRE_TEST_POSTGRESQL</c> (a connection string
/// for a role that may create databases; tests/run.sh starts a private server and sets it), dropped on dispose.
/// Test classes that use it carry <c>[Trait("Database", "PostgreSQL")]</c>, so a run without a server can leave them out.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string ServerVariable = "QUIRE_TEST_POSTGRESQL";

    private readonly string _serverConnectionString;

    private PostgresTestDatabase(string serverConnectionString, string name)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public static IReadOnlyList<Migration> Migrations { get; } =
        Migration.FromEmbeddedResources(typeof(Migration).Assembly, Migration.PostgresFolder);

    /// <summary>The server's connection string from <see cref="ServerVariable"/>; a clear error when it is not set.</summary>
    public static string Server
    {
        get
        {
            var server = Environment.GetEnvironmentVariable(ServerVariable);
            if (string.IsNullOrWhiteSpace(server))
            {
                throw new InvalidOperationException(
                    $"This test needs a PostgreSQL server: set {ServerVariable} to a connection string of a role that may create " +
                    "databases, or run tests/run.sh, which starts one. Leave these tests out with --filter \"Database!=PostgreSQL\".");
            }
            return server;
        }
    }

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var server = Server;
        var database = new PostgresTestDatabase(server, "quire_t_" + Guid.NewGuid().ToString("N"));
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"CREATE DATABASE {database.Name};");
        return database;
    }

    /// <summary>A migrator over this database (its own pool unless another data source is given).</summary>
    public PostgresMigrator Migrator(IReadOnlyList<Migration>? migrations = null, NpgsqlDataSource? dataSource = null) =>
        new(dataSource ?? DataSource, migrations ?? Migrations, NullLogger<PostgresMigrator>.Instance);

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        try
        {
            // Plain DROP first: it also stops an autovacuum worker busy in the database, which FORCE may not (the
            // worker belongs to the superuser).
            await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS {Name};");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse)
        {
            // A session a failed test left behind (e.g. a second data source it did not dispose).
            await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE);");
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
