using Blog.Web.Data;
using Blog.Web.Features.Posts;
using Dapper;

namespace Blog.Web.Features.Archive;

public sealed class ArchiveQueries(SqliteConnectionFactory db)
{
    /// <summary>Visible posts published in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), newest first.</summary>
    public async Task<IReadOnlyList<PostSummary>> BetweenAsync(
        DateTime fromUtc, DateTime toUtc, DateTime now, int skip, int take, CancellationToken ct)
    {
        const string sql = $"""
            SELECT {PostSql.SummaryColumns}
            FROM posts p
            LEFT JOIN members m ON m.id = p.author_id
            WHERE {PostSql.VisiblePost} AND p.published_at >= @From AND p.published_at < @To
            ORDER BY p.published_at DESC, p.id DESC
            LIMIT @Take OFFSET @Skip
            """;
        await using var connection = await db.OpenAsync(ct);
        var posts = await connection.QueryAsync<PostSummary>(new CommandDefinition(
            sql, new { From = fromUtc, To = toUtc, Now = now, Take = take, Skip = skip }, cancellationToken: ct));
        return await PostQueries.ForListAsync(connection, posts.AsList(), ct);
    }
}
