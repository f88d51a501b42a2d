using Blog.Web.Data;
using Dapper;

namespace Blog.Web.Features.Labels;

public sealed class LabelQueries(BlogDatabase db)
{
    /// <summary>The label as the author spelled it (names compare case-insensitively); null when unknown.</summary>
    /// <remarks>
    /// <paramref name="name"/> comes from a path segment, where routing decodes everything except %2F (so a label
    /// with a slash would never be found); it is the one escape left to undo here.
    /// </remarks>
    public async Task<LabelRow?> FindAsync(string name, CancellationToken ct)
    {
        name = name.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<LabelRow>(
            new CommandDefinition(db.Dialect.Text(FindSql), new { Name = name }, cancellationToken: ct));
    }

    /// <summary>
    /// PostgreSQL compares a citext column with a text parameter as text, i.e. case-sensitively: the parameter is cast
    /// so the column's own comparison (and its unique index) applies. SQLite's column is COLLATE NOCASE.
    /// </summary>
    private static readonly DialectSql FindSql = new(
        Sqlite: "SELECT l.id, l.name FROM labels l WHERE l.name = @Name",
        PostgreSql: "SELECT l.id, l.name FROM labels l WHERE l.name = CAST(@Name AS citext)");
}

public sealed record LabelRow
{
    public long Id { get; init; }

    public string Name { get; init; } = "";
}
