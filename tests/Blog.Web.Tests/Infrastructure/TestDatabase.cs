using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Blog.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// The engine the apps of this test run use. Without <c>QUIRE_TEST_DATABASE</c> it is SQLite: each data folder holds
/// its blog.db. With <c>QUIRE_TEST_DATABASE=PostgreSQL</c> each data folder gets a database of its own on the server
/// named by <c>QUIRE_TEST_POSTGRESQL</c>, copied from a template migrated once per run (a copy is far cheaper than
/// running every migration per test class), and dropped with the folder. A second app on the same folder, as after
/// a restart, finds the same database.
/// </summary>
public static class TestDatabase
{
    public const string EngineVariable = "QUIRE_TEST_DATABASE";

    public static DatabaseEngine Engine { get; } = ReadEngine();

    public static bool IsPostgreSql => Engine == DatabaseEngine.PostgreSql;

    public static Dialect Dialect => Dialect.Of(Engine);

    /// <summary>Data folder → its database's name, for the folders that have one on the server.</summary>
    private static readonly ConcurrentDictionary<string, Lazy<string>> Databases = new(StringComparer.Ordinal);

    private static readonly Lazy<string> Template = new(CreateTemplate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// A UTC time as the app stores it, for test SQL that writes times: on SQLite the fixed-width text the app writes
    /// and compares (see <see cref="Dialect.TimeBound"/>), on PostgreSQL the <c>timestamptz</c> itself.
    /// </summary>
    public static object StoredTime(DateTime utc) => Dialect.TimeBound(utc);

    /// <summary>The configuration that points an app on <paramref name="dataDirectory"/> at its database (none on SQLite).</summary>
    public static IReadOnlyDictionary<string, string?> AppSettings(string dataDirectory) => IsPostgreSql
        ? new Dictionary<string, string?>
        {
            ["Blog:Database:Provider"] = "PostgreSQL",
            ["ConnectionStrings:Blog"] = ConnectionString(dataDirectory),
        }
        : new Dictionary<string, string?>();

    /// <summary>The same settings as environment variables, for an app in a child process.</summary>
    public static IReadOnlyDictionary<string, string> EnvironmentVariables(string dataDirectory) =>
        AppSettings(dataDirectory).ToDictionary(setting => setting.Key.Replace(":", "__", StringComparison.Ordinal), setting => setting.Value!);

    /// <summary>A new open connection to the folder's database, outside the app's pool (nothing lingers after it).</summary>
    public static DbConnection Open(string dataDirectory) => Open(dataDirectory, Engine);

    /// <summary>A new open connection to the folder's database on <paramref name="engine"/>, e.g. a SQLite blog on the PostgreSQL pass.</summary>
    public static DbConnection Open(string dataDirectory, DatabaseEngine engine)
    {
        DbConnection connection = engine == DatabaseEngine.PostgreSql
            ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString(dataDirectory)) { Pooling = false }.ConnectionString)
            : new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "blog.db")};Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>
    /// The folder's database through a pool of its own, as a second process sees it: nothing is shared in memory with
    /// the app's. The caller disposes it (on PostgreSQL it holds connections).
    /// </summary>
    public static BlogDatabase OwnPool(string dataDirectory) => IsPostgreSql
        ? new PostgresDatabase(NpgsqlDataSource.Create(ConnectionString(dataDirectory)))
        : new SqliteDatabase(Path.Combine(dataDirectory, "blog.db"));

    /// <summary>Drops the folder's database, if it has one; called when the folder is deleted.</summary>
    public static void Drop(string dataDirectory)
    {
        if (!IsPostgreSql || !Databases.TryRemove(Path.GetFullPath(dataDirectory), out var database) || !database.IsValueCreated)
        {
            return;
        }
        DropDatabase(database.Value);
    }

    private static string ConnectionString(string dataDirectory)
    {
        var name = Databases.GetOrAdd(
            Path.GetFullPath(dataDirectory),
            folder => new Lazy<string>(() => CreateFromTemplate(folder), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
        return new NpgsqlConnectionStringBuilder(Server) { Database = name }.ConnectionString;
    }

    private static string Server => PostgresTestDatabase.Server;

    private static string CreateFromTemplate(string dataDirectory)
    {
        // Named after the folder, so the name says nothing random twice and a leftover is easy to match to its folder.
        var name = "quire_t_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataDirectory)))[..24];
        var template = Template.Value;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                ExecuteOnServer($"CREATE DATABASE {name} TEMPLATE {template};");
                return name;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                // Another copy of the template is starting at the same moment; PostgreSQL lets one at a time read it.
                Thread.Sleep(50 * attempt);
            }
        }
    }

    private static string CreateTemplate()
    {
        var name = "quire_template_" + Guid.NewGuid().ToString("N");
        ExecuteOnServer($"CREATE DATABASE {name};");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DropDatabase(name);
        using (var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(Server) { Database = name, Pooling = false }.ConnectionString))
        {
            new PostgresMigrator(dataSource, PostgresTestDatabase.Migrations, NullLogger<PostgresMigrator>.Instance)
                .ApplyAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        return name;
    }

    private static void DropDatabase(string name)
    {
        try
        {
            ExecuteOnServer($"DROP DATABASE IF EXISTS {name} WITH (FORCE);");
        }
        catch (NpgsqlException)
        {
            // A database left behind only takes space on a throwaway server; it must not fail a test.
        }
    }

    private static void ExecuteOnServer(string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>The engine the variable names, read as the app reads Blog:Database:Provider; Sqlite when it is unset.</summary>
    private static DatabaseEngine ReadEngine()
    {
        var value = Environment.GetEnvironmentVariable(EngineVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return DatabaseEngine.Sqlite;
        }
        return new DatabaseOptions { Provider = value }.Engine
            ?? throw new InvalidOperationException($"{EngineVariable} is '{value}'; it must be Sqlite (the default) or PostgreSQL.");
    }
}
