using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Blog.Web.Features.Import.Runs;

/// <summary>
/// Runs queued imports one after the other and keeps their rows up to date: the phase and how far, at most twice a
/// second whatever the importer reports, then the report or the reason it stopped. The uploaded file is deleted
/// once the run is over.
/// </summary>
public sealed partial class ImportWorker(
    ImportJobs jobs,
    ImportRunStore store,
    IServiceScopeFactory scopes,
    ILogger<ImportWorker> logger) : BackgroundService
{
    public const string InterruptedReason =
        "The blog stopped while this import was running, so it did not finish. Start it again with the same file: " +
        "what was already imported is recognised and left as it is.";

    /// <summary>How often progress is written to the run's row (real time: it paces work, not the blog's clock).</summary>
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(500);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before any request can queue a run of this process: whatever is still queued or running, and whose runner has
        // gone quiet, was cut short; a run whose runner still beats belongs to another live instance.
        // Read first, so a blog whose database cannot be written (a full disk) still starts and serves readers.
        try
        {
            if (await store.ActiveAsync(cancellationToken) is not null)
            {
                var interrupted = await store.FailUnfinishedAsync(InterruptedReason, cancellationToken);
                MarkedInterrupted(logger, interrupted.Count);
            }
            // A run another instance is still working on may have its file here (a shared data folder).
            if (await store.ActiveAsync(cancellationToken) is null)
            {
                jobs.ClearFolder();
            }
        }
        catch (Exception ex) when (ex is DbException or IOException or UnauthorizedAccessException)
        {
            CouldNotTidy(logger, ex);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var id in jobs.Queued.ReadAllAsync(stoppingToken))
            {
                await RunAsync(id, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(long id, CancellationToken stoppingToken)
    {
        var file = jobs.FileOf(id);
        try
        {
            if (await store.FindAsync(id, stoppingToken) is not { State: ImportRunStates.Queued } run)
            {
                return;
            }
            await store.StartAsync(id, stoppingToken);
            var latest = new LatestProgress();
            using var running = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var writing = WriteProgressAsync(id, latest, running.Token);
            try
            {
                await RunImportAsync(run, file, latest, stoppingToken);
            }
            finally
            {
                await running.CancelAsync();
                await writing;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The run's row could not be read or written (a database failure): the next start marks it as stopped.
            RunFailed(logger, ex, id);
        }
        finally
        {
            ImportJobs.DeleteQuietly(file);
        }
    }

    private async Task RunImportAsync(ImportRun run, string file, LatestProgress progress, CancellationToken stoppingToken)
    {
        var request = new ImportRequest
        {
            FilePath = file,
            FileName = run.FileName,
            DryRun = run.DryRun,
            FetchRemoteImages = run.FetchRemoteImages,
            ImporterId = run.StartedBy ?? "",
        };
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var report = await scope.ServiceProvider.GetRequiredService<IImportRunner>().RunAsync(request, progress, stoppingToken);
            await store.FinishAsync(run.Id, report, CancellationToken.None);
        }
        catch (ImportRefusedException refused)
        {
            await store.FailAsync(run.Id, refused.Message, null, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await store.FailAsync(run.Id, InterruptedReason, null, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RunFailed(logger, ex, run.Id);
            await store.FailAsync(run.Id, "The import stopped on an unexpected error (the blog's log has the details): " + ex.Message, null, CancellationToken.None);
        }
    }

    /// <summary>
    /// Writes the latest progress on its own schedule, so that an importer reporting from inside its own write
    /// transaction never waits for this write (which needs the same turn).
    /// </summary>
    private async Task WriteProgressAsync(long id, LatestProgress latest, CancellationToken ct)
    {
        ImportProgress? written = null;
        var lastWrite = TimeProvider.System.GetTimestamp();
        using var timer = new PeriodicTimer(ProgressEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var now = latest.Value;
                var quietFor = TimeProvider.System.GetElapsedTime(lastWrite);
                if (now == written && quietFor < ImportRunStore.HeartbeatEvery)
                {
                    continue;
                }
                try
                {
                    if (now is not null && now != written)
                    {
                        await store.ProgressAsync(id, now, ct);
                        written = now;
                    }
                    else
                    {
                        await store.HeartbeatAsync(id, ct);
                    }
                    lastWrite = TimeProvider.System.GetTimestamp();
                }
                catch (DbException)
                {
                    // Progress is only shown: a busy or failing database skips this tick, not the import.
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Keeps only the last progress reported; reporting is a field write, whichever thread reports.</summary>
    private sealed class LatestProgress : IProgress<ImportProgress>
    {
        private ImportProgress? _value;

        public ImportProgress? Value => Volatile.Read(ref _value);

        public void Report(ImportProgress value) => Volatile.Write(ref _value, value);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Count} import run(s) were cut short when the blog last stopped; they are marked as stopped")]
    private static partial void MarkedInterrupted(ILogger logger, int count);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Could not mark interrupted import runs as stopped or clear the imports folder; the import page may show a stale run")]
    private static partial void CouldNotTidy(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Import run {Id} failed")]
    private static partial void RunFailed(ILogger logger, Exception exception, long id);
}
