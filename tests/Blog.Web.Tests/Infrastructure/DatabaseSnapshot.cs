using System.Security.Cryptography;
using System.Text;
using Blog.Web.Data;
using Blog.Web.Mail;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// A digest of every row of every table, to prove that a refused request changed nothing: one line per table
/// ("members 3F2A…"), so that two snapshots that differ say which tables did.
/// </summary>
public static class DatabaseSnapshot
{
    public static async Task<string> TakeAsync(BlogAppFactory app)
    {
        // Mail leaves the outbox in the background: wait until none is due, so that the outbox holds still and only
        // what the request itself changed can differ.
        Assert.True(await app.Services.GetRequiredService<MailOutbox>().WaitUntilSentAsync(Eventually.DefaultPatience),
            "Mail was still being sent after " + Eventually.DefaultPatience);
        await using var connection = app.OpenDatabase();
        var tables = await connection.QueryAsync<string>(Dialect.Of(connection).Text(TableNames));
        var snapshot = new StringBuilder();
        foreach (var table in tables)
        {
            // Table names come from the catalog, not from input; identifiers cannot be parameters.
            using var reader = await connection.ExecuteReaderAsync($"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
            var rows = new List<string>();
            while (reader.Read())
            {
                var row = new StringBuilder();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.GetValue(i);
                    row.Append(value is byte[] bytes ? Convert.ToHexString(bytes) : value).Append('\u001F');
                }
                rows.Add(row.ToString());
            }
            // Sorted here, whole rows: an ORDER BY on some columns leaves ties (a picture's several media_files rows)
            // in whatever order the database likes, which PostgreSQL changes from one read to the next.
            rows.Sort(StringComparer.Ordinal);
            var digest = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', rows)));
            snapshot.Append(table).Append(' ').AppendLine(Convert.ToHexString(digest));
        }
        return snapshot.ToString();
    }

    /// <summary>The tables whose rows differ between two snapshots, for a failure message.</summary>
    public static string ChangedTables(string before, string after)
    {
        var changed = after.Split('\n').Except(before.Split('\n')).Select(line => line.Split(' ')[0]);
        return string.Join(", ", changed);
    }

    /// <summary>Every table of the app's schema; on SQLite not FTS5's shadow tables, which mirror posts_fts.</summary>
    private static readonly DialectSql TableNames = new(
        Sqlite: "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts_%' ORDER BY name",
        PostgreSql: "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name");
}
