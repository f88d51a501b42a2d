using Blog.Web.Data;
using Dapper;

namespace Blog.Web.Features.Redirects;

/// <summary>The SQL behind old addresses: one primary-key read of legacy_addresses (0008_import_export.sql).</summary>
public sealed class OldAddressStore(BlogDatabase db)
{
    /// <summary>
    /// Where an old address (in <see cref="Import.LegacyAddress"/> form) leads: a local path, or a post readers may
    /// see now. A draft, a post scheduled for later or a deleted one leads nowhere (the 404 stays a 404).
    /// </summary>
    public async Task<OldAddressTarget?> FindAsync(string address, DateTime now, CancellationToken ct)
    {
        const string sql = """
            SELECT a.target, p.kind AS post_kind, p.slug AS post_slug, p.published_at AS post_published_at
            FROM legacy_addresses a
            LEFT JOIN posts p ON p.id = a.post_id AND p.status = 'published' AND p.published_at <= @Now
            WHERE a.address = @Address
            """;
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<OldAddressTarget>(
            new CommandDefinition(sql, new { Address = address, Now = now }, cancellationToken: ct));
        return row is null || (row.Target is null && row.PostSlug is null) ? null : row;
    }
}

public sealed record OldAddressTarget
{
    public string? Target { get; init; }

    public string? PostKind { get; init; }

    public string? PostSlug { get; init; }

    public DateTime PostPublishedAt { get; init; }
}
