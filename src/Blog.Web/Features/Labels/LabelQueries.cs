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
        const string sql = "SELECT l.id, l.name FROM labels l WHERE l.name = @Name";
        name = name.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<LabelRow>(new CommandDefinition(sql, new { Name = name }, cancellationToken: ct));
    }
}

public sealed record LabelRow
{
    public long Id { get; init; }

    public string Name { get; init; } = "";
}
