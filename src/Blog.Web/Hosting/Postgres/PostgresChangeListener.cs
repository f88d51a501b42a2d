using System.Collections.Concurrent;
using System.Diagnostics;
using Blog.Web.Data;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Blog.Web.Hosting.Postgres;

/// <summary>
/// The one connection on which an instance LISTENs for what the others send (see <see cref="PostgresChangeStore"/>),
/// outside the pool, for as long as the blog runs; each notice goes to every <see cref="IChangeNoticeHandler"/>.
/// When the server drops it, the handlers are told to act as if anything could change unheard, and the listener
/// connects again, waiting longer after each failure (up to 15 s) and saying so in the log at most once a minute.
/// </summary>
public sealed partial class PostgresChangeListener(
    IOptions<DatabaseOptions> options,
    PostgresChangeStore store,
    IEnumerable<IChangeNoticeHandler> handlers,
    ILoggerFactory loggers,
    ILogger<PostgresChangeListener> logger) : IHostedService, IAsyncDisposable
{
    /// <summary>
    /// A server that vanished without closing the connection sends nothing more, which looks like quiet: after this
    /// long without a notice the listener asks a trivial query, which fails on a dead connection.
    /// </summary>
    private static readonly TimeSpan QuietCheck = TimeSpan.FromSeconds(10);

    private const int QuietCheckTimeoutSeconds = 5;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan LogAtMostEvery = TimeSpan.FromMinutes(1);

    private readonly IChangeNoticeHandler[] _handlers = [.. handlers];
    private readonly ConcurrentQueue<string> _heard = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private NpgsqlDataSource? _dataSource;
    private Task _listening = Task.CompletedTask;
    private int _disposed;

    /// <summary>How the listening session is named on the server (<c>pg_stat_activity.application_name</c>).</summary>
    public string SessionName => "quire listener " + store.Sender;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = new NpgsqlDataSourceBuilder(options.Value.ConnectionString);
        builder.ConnectionStringBuilder.Pooling = false;
        builder.ConnectionStringBuilder.ApplicationName = SessionName;
        _dataSource = builder.UseLoggerFactory(loggers).Build();
        _listening = Task.Run(() => ListenAsync(_dataSource, _stopping.Token), CancellationToken.None);
        // Once the blog has started, it hears the others (or has tried to and stores no page until it does).
        await _firstAttempt.Task.WaitAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _listening.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        // Registered as itself and as a hosted service, it is disposed twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync();
        await _listening;
        // _stopping is not disposed: the host may still call StopAsync after the container disposed this (a test
        // host torn down before it finished starting does), and a token source without timers holds nothing to free.
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    private async Task ListenAsync(NpgsqlDataSource dataSource, CancellationToken stopping)
    {
        var retry = FirstRetry;
        var failures = 0;
        var failureLoggedAt = (long?)null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stopping);
                connection.Notification += (_, notification) => _heard.Enqueue(notification.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresChangeStore.Channel};", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping);
                }
                foreach (var handler in _handlers)
                {
                    await handler.ListeningAsync(stopping);
                }
                if (failureLoggedAt is not null)
                {
                    ListeningAgain(logger, failures);
                    failureLoggedAt = null;
                }
                failures = 0;
                retry = FirstRetry;
                _firstAttempt.TrySetResult();
                while (true)
                {
                    await HandleHeardAsync();
                    if (!await connection.WaitAsync(QuietCheck, stopping))
                    {
                        await using var check = new NpgsqlCommand("SELECT 1;", connection) { CommandTimeout = QuietCheckTimeoutSeconds };
                        await check.ExecuteScalarAsync(stopping);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                await GoDeafAsync();
                _firstAttempt.TrySetResult();
                var now = Stopwatch.GetTimestamp();
                if (failureLoggedAt is not { } logged || Stopwatch.GetElapsedTime(logged, now) >= LogAtMostEvery)
                {
                    NotListening(logger, ex, failures, retry.TotalSeconds);
                    failureLoggedAt = now;
                }
            }
            try
            {
                await Task.Delay(retry, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LongestRetry.Ticks));
        }
    }

    /// <summary>In the order they were sent; the instance's own notices and anything that is not one are passed over.</summary>
    private async Task HandleHeardAsync()
    {
        while (_heard.TryDequeue(out var payload))
        {
            if (ChangeNotice.Parse(payload) is not { } notice || notice.Sender == store.Sender)
            {
                continue;
            }
            foreach (var handler in _handlers)
            {
                await handler.HeardAsync(notice);
            }
        }
    }

    private async Task GoDeafAsync()
    {
        // Heard but not yet handled: going deaf drops every page and copy, which covers these too.
        _heard.Clear();
        foreach (var handler in _handlers)
        {
            try
            {
                await handler.DeafAsync();
            }
            catch (Exception ex)
            {
                DeafFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Not hearing the other instances through PostgreSQL (failure {Failures} in a row; trying again in {RetrySeconds} s). "
            + "Until it does, this instance caches no reader page and reads the shared settings from the database")]
    private static partial void NotListening(ILogger logger, Exception exception, int failures, double retrySeconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "Hearing the other instances through PostgreSQL again, after {Failures} failed attempts")]
    private static partial void ListeningAgain(ILogger logger, int failures);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Could not drop what this instance keeps after it stopped hearing the others")]
    private static partial void DeafFailed(ILogger logger, Exception exception);
}
