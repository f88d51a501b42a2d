using System.Buffers;
using System.Text;
using System.Text.Json;
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
public sealed class SidebarCounts(BlogDatabase db, TimeProvider clock) : IDisposable
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
        // All index-only: publication times from ix_posts_kind_status_published_at, label counts from
        // ix_post_labels_label_published (post_labels' copy of its post's published_at).
        const string firstSql = $"SELECT MIN(p.published_at) FROM posts p WHERE {PostSql.VisiblePost}";
        // One count per month, over the very UTC range that month's own page lists, so the two always agree. SQLite
        // counts inside the index; reading every post's time into .NET instead took a quarter of a second on a blog
        // of 100,000 posts. Each range already stops at "now", so there is no "published_at <= @Now" here (with
        // it, SQLite bounds each count by that constant instead of the range's end and reads the index many times).
        // The ranges go as one parameter however many months there are: JSON text that SQLite reads with json_each
        // (0-based keys), or two timestamptz arrays that PostgreSQL walks side by side (1-based ordinality).
        var monthsSql = db.Dialect.Text(new DialectSql(
            Sqlite: """
                SELECT r.key AS month_index,
                       (SELECT COUNT(*) FROM posts p
                        WHERE p.kind = 'post' AND p.status = 'published'
                          AND p.published_at >= r.value ->> 0 AND p.published_at < r.value ->> 1) AS post_count
                FROM json_each(@Ranges) r
                """,
            PostgreSql: """
                SELECT (r.i - 1)::integer AS month_index,
                       (SELECT COUNT(*) FROM posts p
                        WHERE p.kind = 'post' AND p.status = 'published'
                          AND p.published_at >= r.month_start AND p.published_at < r.month_end) AS post_count
                FROM unnest(@Starts::timestamptz[], @Ends::timestamptz[]) WITH ORDINALITY AS r(month_start, month_end, i)
                """));
        const string nextSql = """
            SELECT MIN(p.published_at) FROM posts p
            WHERE p.kind = 'post' AND p.status = 'published' AND p.published_at > @Now
            """;
        // labels.name is NOCASE on SQLite and citext on PostgreSQL: both order it ignoring case.
        var labelsSql = db.Dialect.Text(new DialectSql(
            Sqlite: """
                SELECT l.name, c.post_count
                FROM (SELECT pl.label_id, COUNT(*) AS post_count FROM post_labels pl WHERE pl.published_at <= @Now GROUP BY pl.label_id) c
                JOIN labels l ON l.id = c.label_id
                ORDER BY l.name COLLATE NOCASE
                """,
            PostgreSql: """
                SELECT l.name, c.post_count
                FROM (SELECT pl.label_id, COUNT(*) AS post_count FROM post_labels pl WHERE pl.published_at <= @Now GROUP BY pl.label_id) c
                JOIN labels l ON l.id = c.label_id
                ORDER BY l.name
                """));
        var now = clock.GetUtcNow().UtcDateTime;
        var zone = PostUrls.TimeZone(timeZoneId);
        var parameters = new { Now = now };
        await using var connection = await db.OpenAsync(ct);
        // One read transaction: the version and the counts come from the same state of the database.
        await using var transaction = await db.BeginSnapshotReadAsync(connection, ct);
        var version = await connection.ExecuteScalarAsync<long>(new CommandDefinition(VersionSql, transaction: transaction, cancellationToken: ct));
        var first = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(firstSql, parameters, transaction, cancellationToken: ct));
        IReadOnlyList<DateTime> months = first is { } oldest ? ArchivePaths.MonthsBetween(oldest, now, zone) : [];
        IEnumerable<MonthCount> counts = months.Count == 0
            ? []
            : await connection.QueryAsync<MonthCount>(new CommandDefinition(
                monthsSql, MonthRanges(months, now, zone), transaction, cancellationToken: ct));
        var next = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(nextSql, parameters, transaction, cancellationToken: ct));
        var labels = await connection.QueryAsync<LabelPostCount>(new CommandDefinition(labelsSql, parameters, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return new SidebarSnapshot
        {
            Version = version,
            TimeZoneId = timeZoneId,
            ValidUntilUtc = next ?? DateTime.MaxValue,
            Archive = ArchivePaths.Group(counts.Select(count => (months[count.MonthIndex], count.PostCount))),
            Labels = labels.AsList(),
        };
    }

    /// <summary>
    /// [start, end) in UTC for each month, bound as one parameter however many months there are. The last range ends
    /// just after <paramref name="now"/>, so scheduled posts are not counted: a tick after it on SQLite, a microsecond
    /// on PostgreSQL, whose timestamptz holds no finer time (a tick would be cut off and leave a post of "now" out).
    /// </summary>
    private object MonthRanges(IReadOnlyList<DateTime> months, DateTime now, TimeZoneInfo zone)
    {
        var onPostgreSql = db.Engine == DatabaseEngine.PostgreSql;
        var endOfNow = now.AddTicks(onPostgreSql ? TimeSpan.TicksPerMicrosecond : 1);
        var ranges = months.Select(month =>
        {
            var end = ArchivePaths.ToUtc(month.AddMonths(1), zone);
            return (Start: DateTime.SpecifyKind(ArchivePaths.ToUtc(month, zone), DateTimeKind.Utc),
                End: DateTime.SpecifyKind(end < endOfNow ? end : endOfNow, DateTimeKind.Utc));
        }).ToList();
        return onPostgreSql
            ? new { Starts = ranges.Select(r => r.Start).ToArray(), Ends = ranges.Select(r => r.End).ToArray() }
            : new { Ranges = RangesJson(ranges) };
    }

    /// <summary>The ranges as SQLite's json_each reads them: [[start, end], …] in the stored text form.</summary>
    private static string RangesJson(IEnumerable<(DateTime Start, DateTime End)> ranges)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var (start, end) in ranges)
            {
                json.WriteStartArray();
                json.WriteStringValue(SqliteTimes.Format(start));
                json.WriteStringValue(SqliteTimes.Format(end));
                json.WriteEndArray();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private sealed record MonthCount
    {
        public int MonthIndex { get; init; }

        public int PostCount { get; init; }
    }
}
