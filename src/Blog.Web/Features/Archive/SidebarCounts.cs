using Blog.Web.Data;
using Blog.Web.Features.Posts;
using Dapper;

namespace Blog.Web.Features.Archive;

/// <summary>What the sidebar's "Blog archive" and "Labels" boxes show, as of one version of the posts.</summary>
public sealed record SidebarSnapshot
{
    public required long Version { get; init; }

    public required string TimeZoneId { get; init; }

    /// <summary>The snapshot is wrong from this moment on: a scheduled post becomes visible (MaxValue when none is).</summary>
    public required DateTime ValidUntilUtc { get; init; }

    public required IReadOnlyList<ArchiveYear> Archive { get; init; }

    public required IReadOnlyList<LabelPostCount> Labels { get; init; }
}

public sealed record LabelPostCount
{
    public string Name { get; init; } = "";

    public int PostCount { get; init; }
}

/// <summary>
/// The sidebar's counts, computed once and shared by every page until they can have changed. Counting every
/// post on every page cost about a second per request on a blog of 100,000 posts.
/// </summary>
/// <remarks>
/// Exactly correct without being told about writes: triggers in the database (0005_index_hot_reads.sql) bump
/// <c>post_counts_version</c> whenever a post is added, deleted, published, unpublished or rescheduled, or a
/// label added, removed or renamed, and each page reads that one row (a primary-key lookup) before trusting the
/// snapshot. Time alone also changes what readers see: a scheduled post appears when its time comes, so a
/// snapshot expires at the next scheduled publication. One caller recomputes while the others wait for it.
/// </remarks>
public sealed class SidebarCounts(SqliteConnectionFactory db, TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim _recompute = new(1, 1);
    private SidebarSnapshot? _snapshot;

    public void Dispose() => _recompute.Dispose();

    public async Task<SidebarSnapshot> GetAsync(string timeZoneId, CancellationToken ct)
    {
        var version = await ReadVersionAsync(ct);
        if (Current(version, timeZoneId) is { } current)
        {
            return current;
        }
        await _recompute.WaitAsync(ct);
        try
        {
            if (Current(await ReadVersionAsync(ct), timeZoneId) is { } fresh)
            {
                return fresh;
            }
            var snapshot = await ComputeAsync(timeZoneId, ct);
            Volatile.Write(ref _snapshot, snapshot);
            return snapshot;
        }
        finally
        {
            _recompute.Release();
        }
    }

    private SidebarSnapshot? Current(long version, string timeZoneId)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        return snapshot is not null && snapshot.Version == version
            && string.Equals(snapshot.TimeZoneId, timeZoneId, StringComparison.Ordinal)
            && clock.GetUtcNow().UtcDateTime < snapshot.ValidUntilUtc
            ? snapshot
            : null;
    }

    private async Task<long> ReadVersionAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(VersionSql, cancellationToken: ct));
    }

    private const string VersionSql = "SELECT version FROM post_counts_version WHERE id = 1";

    private async Task<SidebarSnapshot> ComputeAsync(string timeZoneId, CancellationToken ct)
    {
        // Both index-only: published_at from ix_posts_kind_status_published_at, label counts from
        // ix_post_labels_label_published (post_labels' copy of its post's published_at).
        const string timesSql = $"SELECT p.published_at FROM posts p WHERE {PostSql.VisiblePost}";
        const string nextSql = """
            SELECT MIN(p.published_at) FROM posts p
            WHERE p.kind = 'post' AND p.status = 'published' AND p.published_at > @Now
            """;
        const string labelsSql = """
            SELECT l.name, c.post_count
            FROM (SELECT pl.label_id, COUNT(*) AS post_count FROM post_labels pl WHERE pl.published_at <= @Now GROUP BY pl.label_id) c
            JOIN labels l ON l.id = c.label_id
            ORDER BY l.name COLLATE NOCASE
            """;
        var now = clock.GetUtcNow().UtcDateTime;
        var parameters = new { Now = now };
        await using var connection = await db.OpenAsync(ct);
        // One read transaction: the version and the counts come from the same state of the database.
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var version = await connection.ExecuteScalarAsync<long>(new CommandDefinition(VersionSql, transaction: transaction, cancellationToken: ct));
        var times = await connection.QueryAsync<DateTime>(new CommandDefinition(timesSql, parameters, transaction, cancellationToken: ct));
        var next = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(nextSql, parameters, transaction, cancellationToken: ct));
        var labels = await connection.QueryAsync<LabelPostCount>(new CommandDefinition(labelsSql, parameters, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return new SidebarSnapshot
        {
            Version = version,
            TimeZoneId = timeZoneId,
            ValidUntilUtc = next is null ? DateTime.MaxValue : SqliteTimes.Parse(next),
            Archive = ArchivePaths.Group(times, PostUrls.TimeZone(timeZoneId)),
            Labels = labels.AsList(),
        };
    }
}
