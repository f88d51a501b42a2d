using Blog.Web.Data;
using Dapper;

namespace Blog.Web.Features.Import.Runs;

/// <summary>
/// The SQL of background imports (<c>import_runs</c>). Only one run may be queued or running at a time: the insert
/// itself checks, so two owners pressing "Import" together cannot start two.
/// </summary>
public sealed class ImportRunStore(BlogDatabase db, TimeProvider clock)
{
    /// <summary>How many runs the import page lists.</summary>
    public const int RecentCount = 10;

    /// <summary>How often the instance running an import says it still is, even when its progress stands still.</summary>
    public static readonly TimeSpan HeartbeatEvery = TimeSpan.FromSeconds(10);

    /// <summary>A run whose instance has said nothing for this long was cut short (that instance stopped or died).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    /// <summary>This process, as the runner of the imports it queues and runs: unique across instances and restarts.</summary>
    public string Runner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    private const string Columns = """
        r.id, r.started_by, r.file_name, r.dry_run, r.fetch_remote_images, r.state, r.phase, r.done, r.total,
        r.report_json, r.error, r.created_at, r.finished_at
        """;

    /// <summary>The run that is queued or running, if any.</summary>
    public async Task<ImportRun?> ActiveAsync(CancellationToken ct)
    {
        const string sql = $"SELECT {Columns} FROM import_runs r WHERE r.state IN ('queued', 'running') ORDER BY r.id LIMIT 1";
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ImportRun>(new CommandDefinition(sql, cancellationToken: ct));
    }

    /// <summary>Queues a run, or returns null when another is queued or running.</summary>
    public async Task<long?> QueueAsync(string startedBy, string fileName, bool dryRun, bool fetchRemoteImages, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO import_runs (started_by, file_name, dry_run, fetch_remote_images, state, created_at, runner, heartbeat_at)
            SELECT @StartedBy, @FileName, @DryRun, @FetchRemoteImages, 'queued', @CreatedAt, @Runner, @CreatedAt
            WHERE NOT EXISTS (SELECT 1 FROM import_runs WHERE state IN ('queued', 'running'))
            RETURNING id
            """;
        await using var write = await db.BeginWriteAsync(ct);
        var id = await write.Connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, new
        {
            StartedBy = startedBy,
            FileName = fileName,
            DryRun = dryRun,
            FetchRemoteImages = fetchRemoteImages,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Runner,
        }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
        return id;
    }

    public async Task<ImportRun?> FindAsync(long id, CancellationToken ct)
    {
        const string sql = $"SELECT {Columns} FROM import_runs r WHERE r.id = @Id";
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ImportRun>(new CommandDefinition(sql, new { Id = id }, cancellationToken: ct));
    }

    /// <summary>The newest runs, without their reports (a report can be large; the list shows only its outcome).</summary>
    public async Task<IReadOnlyList<ImportRun>> RecentAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT r.id, r.started_by, r.file_name, r.dry_run, r.fetch_remote_images, r.state, r.phase, r.done, r.total,
                   NULL AS report_json, r.error, r.created_at, r.finished_at
            FROM import_runs r
            ORDER BY r.id DESC
            LIMIT @Count
            """;
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<ImportRun>(new CommandDefinition(sql, new { Count = RecentCount }, cancellationToken: ct))).AsList();
    }

    public Task StartAsync(long id, CancellationToken ct) =>
        WriteAsync(
            "UPDATE import_runs SET state = 'running', runner = @Runner, heartbeat_at = @Now WHERE id = @Id AND state = 'queued'",
            new { Id = id, Runner, Now = clock.GetUtcNow().UtcDateTime }, ct);

    /// <summary>Records how far the run is, which also says its runner is alive.</summary>
    public Task ProgressAsync(long id, ImportProgress progress, CancellationToken ct) =>
        WriteAsync(
            "UPDATE import_runs SET phase = @Phase, done = @Done, total = @Total, heartbeat_at = @Now WHERE id = @Id AND state = 'running'",
            new { Id = id, progress.Phase, progress.Done, progress.Total, Now = clock.GetUtcNow().UtcDateTime }, ct);

    /// <summary>Says the run's runner is alive while its progress stands still (a long phase, a slow remote image).</summary>
    public Task HeartbeatAsync(long id, CancellationToken ct) =>
        WriteAsync("UPDATE import_runs SET heartbeat_at = @Now WHERE id = @Id AND state = 'running'",
            new { Id = id, Now = clock.GetUtcNow().UtcDateTime }, ct);

    public Task FinishAsync(long id, ImportReport report, CancellationToken ct) =>
        WriteAsync(
            "UPDATE import_runs SET state = 'finished', phase = 'finished', done = total, report_json = @Report, finished_at = @Now WHERE id = @Id",
            new { Id = id, Report = report.ToJson(), Now = clock.GetUtcNow().UtcDateTime }, ct);

    /// <summary>Ends a run with the reason it stopped; the report so far is kept when there is one.</summary>
    public Task FailAsync(long id, string error, ImportReport? report, CancellationToken ct) =>
        WriteAsync(
            "UPDATE import_runs SET state = 'failed', error = @Error, report_json = @Report, finished_at = @Now WHERE id = @Id",
            new { Id = id, Error = error, Report = report?.ToJson(), Now = clock.GetUtcNow().UtcDateTime }, ct);

    /// <summary>
    /// Marks as failed with <paramref name="reason"/> every run still queued or running whose runner has said nothing
    /// for <see cref="StaleAfter"/>: that instance stopped or died, so the run was cut short. A run another live
    /// instance is working on is left to it. Returns the ids of those marked.
    /// </summary>
    public async Task<IReadOnlyList<long>> FailUnfinishedAsync(string reason, CancellationToken ct)
    {
        const string sql = """
            UPDATE import_runs SET state = 'failed', error = @Reason, finished_at = @Now
            WHERE state IN ('queued', 'running') AND (heartbeat_at IS NULL OR heartbeat_at < @StaleBefore)
            RETURNING id
            """;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var write = await db.BeginWriteAsync(ct);
        var ids = (await write.Connection.QueryAsync<long>(new CommandDefinition(
            sql, new { Reason = reason, Now = now, StaleBefore = db.Dialect.TimeBound(now - StaleAfter) }, write.Transaction, cancellationToken: ct))).AsList();
        await write.CommitAsync(ct);
        return ids;
    }

    /// <summary>
    /// Who an import from the command line is by: the author or owner with that (normalized) email address, or the
    /// owner when none is named. Null when there is no such member (or the member may not write posts).
    /// </summary>
    public async Task<ImportingMember?> ImporterAsync(string? normalizedEmail, CancellationToken ct)
    {
        const string sql = """
            SELECT id, email, role FROM members
            WHERE role IN ('author', 'owner') AND banned_at IS NULL
              AND (normalized_email = @NormalizedEmail OR (@NormalizedEmail IS NULL AND role = 'owner'))
            LIMIT 1
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ImportingMember>(
            new CommandDefinition(sql, new { NormalizedEmail = normalizedEmail }, cancellationToken: ct));
    }

    private async Task WriteAsync(string sql, object parameters, CancellationToken ct)
    {
        await using var write = await db.BeginWriteAsync(ct);
        await write.Connection.ExecuteAsync(new CommandDefinition(sql, parameters, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
    }
}
