using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Blog.Web.Data;

/// <summary>Healthy when the database opens, answers a query and has its schema applied.</summary>
public sealed class DatabaseHealthCheck(BlogDatabase db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await db.OpenAsync(cancellationToken);
            var version = await connection.ExecuteScalarAsync<int?>(
                new CommandDefinition("SELECT MAX(version) FROM schema_migrations;", cancellationToken: cancellationToken));
            if (version is null)
            {
                return HealthCheckResult.Unhealthy("The database has no schema.");
            }
            // Readers are still served, but nothing can be saved: worth a look, not a restart.
            var readOnly = connection is SqliteConnection sqlite
                ? SQLitePCL.raw.sqlite3_db_readonly(sqlite.Handle, "main") == 1
                : await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                    "SELECT current_setting('transaction_read_only') = 'on';", cancellationToken: cancellationToken));
            return readOnly
                ? HealthCheckResult.Degraded($"Schema version {version}; the database is read-only, so changes cannot be saved.")
                : HealthCheckResult.Healthy($"Schema version {version}.");
        }
        catch (Exception ex) when (ex is DbException or IOException)
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached.", ex);
        }
    }
}
