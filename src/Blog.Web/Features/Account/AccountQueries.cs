using Blog.Web.Data;
using Dapper;

namespace Blog.Web.Features.Account;

public sealed class AccountQueries(SqliteConnectionFactory db)
{
    public async Task<int> CountOwnersAsync(CancellationToken cancellationToken)
    {
        const string sql = "SELECT COUNT(*) FROM members WHERE role = 'owner';";
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, cancellationToken: cancellationToken));
    }
}
