using System.Security.Cryptography;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Microsoft.Data.Sqlite;

namespace Blog.Web.Features.Stats;

/// <summary>
/// Adds what <see cref="ViewCounter"/> gathered to the database every <see cref="WriteEvery"/> and once more at
/// shutdown, and starts each new day (its salt, and the deletion of the last day's visitor hashes) when it comes.
/// One write per window however many readers came: counting never makes a reader wait for the database.
/// </summary>
public sealed partial class StatsWriter(
    ViewCounter counter,
    StatsStore store,
    SiteSettingsStore settings,
    CanonicalAddress address,
    TimeProvider clock,
    ILogger<StatsWriter> logger) : BackgroundService
{
    public static readonly TimeSpan WriteEvery = TimeSpan.FromSeconds(10);

    // One write at a time: a write asked for while another runs waits for it, so its caller sees both written.
    private readonly SemaphoreSlim _writing = new(1, 1);

    /// <summary>Starts the day if it turned, then writes what was counted so far.</summary>
    public async Task WriteAsync(CancellationToken ct)
    {
        await _writing.WaitAsync(ct);
        try
        {
            await StartDayIfNeededAsync(ct);
            var window = await counter.TakeAsync(ct);
            if (window.Dropped > 0)
            {
                LogDropped(window.Dropped, ViewCounter.MaxKeysPerWindow);
            }
            if (!window.IsEmpty)
            {
                await store.AddAsync(window, ct);
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    public override void Dispose()
    {
        _writing.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await WriteAsync(stoppingToken);
                await Task.Delay(UntilNextWrite(), clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (SqliteException exception)
            {
                // Those counts are lost; the next window is counted afresh. Statistics are not worth retrying for.
                LogWriteFailed(exception);
                await Task.Delay(WriteEvery, clock, CancellationToken.None);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // The last window: views counted since the last write would otherwise be lost with the process.
            await WriteAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is SqliteException or OperationCanceledException or ObjectDisposedException)
        {
            LogWriteFailed(exception);
        }
    }

    private async Task StartDayIfNeededAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var zone = PostUrls.TimeZone((await settings.GetAsync(ct)).TimeZone);
        var today = CountingDay.DayOf(now, zone);
        var ownDomain = OwnDomain();
        var current = counter.Day;
        if (current is not null && current.Day == today && current.Zone.Equals(zone) && current.OwnDomain == ownDomain)
        {
            return;
        }
        var salt = current?.Day == today
            ? current.Salt
            : await store.StartDayAsync(today, RandomNumberGenerator.GetBytes(32), ct);
        counter.StartDay(new CountingDay(today, salt, CountingDay.NextDayStartsAt(now, zone), zone, ownDomain));
    }

    private string? OwnDomain() =>
        Uri.TryCreate(address.Base, UriKind.Absolute, out var own) ? ViewRules.SiteDomain(own) : null;

    /// <summary>The regular interval, or less when the day ends sooner, so the new day starts on time.</summary>
    private TimeSpan UntilNextWrite()
    {
        var untilMidnight = (counter.Day?.EndsAtUtc ?? DateTime.MaxValue) - clock.GetUtcNow().UtcDateTime;
        return untilMidnight > TimeSpan.Zero && untilMidnight < WriteEvery ? untilMidnight : WriteEvery;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Statistics: {Dropped} counts were dropped because more than {Limit} distinct posts, readers, sites or searches came within one write interval.")]
    private partial void LogDropped(long dropped, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Statistics could not be written; the counts of these seconds are lost.")]
    private partial void LogWriteFailed(Exception exception);
}
