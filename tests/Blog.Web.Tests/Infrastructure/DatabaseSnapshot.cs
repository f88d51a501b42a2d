using System.Security.Cryptography;
using System.Text;
using Blog.Web.Data;
using Blog.Web.Mail;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>A digest of every row of every table, to prove that a refused request changed nothing.</summary>
public static class DatabaseSnapshot
{
    public static async Task<string> TakeAsync(BlogAppFactory app)
    {
        // Mail leaves the outbox in the background: wait until none is due, so that the outbox holds still and only
        // what the request itself changed can differ.
        await app.Services.GetRequiredService<MailOutbox>().WaitUntilSentAsync(Eventually.DefaultPatience);
        await using var connection = app.OpenDatabase();
        var tables = await connection.QueryAsync<string>(Dialect.Of(connection).Text(TableNames));
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            text.Append("# ").AppendLine(table);
            // Table names come from the catalog, not from input; identifiers cannot be parameters.
            using var reader = await connection.ExecuteReaderAsync($"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\" ORDER BY 1");
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(reader.GetValue(i)).Append('\u001F');
                }
                text.AppendLine();
            }
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Every table of the app's schema; on SQLite not FTS5's shadow tables, which mirror posts_fts.</summary>
    private static readonly DialectSql TableNames = new(
        Sqlite: "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts_%' ORDER BY name",
        PostgreSql: "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name");
}
