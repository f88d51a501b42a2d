using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Blog.Web.Mail;

/// <summary>
/// Sends what the <see cref="MailOutbox"/> holds: woken by each new message, by the next retry coming due, and at
/// least once a minute (mail queued by another process, or left claimed by one that died). A failed message waits
/// for its next attempt (<see cref="MailRetry"/>) and is given up on, with an error in the log, after the last.
/// </summary>
public sealed partial class MailOutboxWorker(MailOutbox outbox, MailSender sender, TimeProvider clock, ILogger<MailOutboxWorker> logger)
    : BackgroundService
{
    /// <summary>The longest the worker sleeps without looking at the outbox.</summary>
    public static readonly TimeSpan LookAtLeastEvery = TimeSpan.FromMinutes(1);

    /// <summary>How long a message given up on stays in the outbox, for the owner to see, before it is deleted.</summary>
    public static readonly TimeSpan KeepGivenUpFor = TimeSpan.FromDays(30);

    /// <summary>
    /// How long the worker lets new mail gather after sending a batch that was not full. Under a burst of comments it
    /// then claims and settles many messages per write instead of one or two, leaving the database to the writers;
    /// otherwise mail waits this much longer, which nobody notices. Real time, not the blog's clock: it paces work.
    /// </summary>
    private static readonly TimeSpan GatherFor = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan CleanUpEvery = TimeSpan.FromDays(1);

    /// <summary>The pause after the database failed; real time, like <see cref="GatherFor"/>.</summary>
    private static readonly TimeSpan AfterDatabaseFailure = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        outbox.SenderStarted();
        try
        {
            await SendUntilStoppedAsync(stoppingToken);
        }
        finally
        {
            outbox.SenderStopped();
        }
    }

    private async Task SendUntilStoppedAsync(CancellationToken stoppingToken)
    {
        var started = false;
        var nextCleanUp = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // What this look at the outbox saw is as of this moment; the sleep after it is counted from here too.
                var lookedAt = clock.GetUtcNow();
                if (!started)
                {
                    await outbox.MakeWaitingMailDueAsync(stoppingToken);
                    started = true;
                }
                if (lookedAt >= nextCleanUp)
                {
                    await outbox.DeleteGivenUpAsync((lookedAt - KeepGivenUpFor).UtcDateTime, stoppingToken);
                    nextCleanUp = lookedAt + CleanUpEvery;
                }
                var batch = await outbox.ClaimDueAsync(stoppingToken);
                if (batch.Count > 0)
                {
                    await SendAsync(batch, stoppingToken);
                    if (batch.Count < MailOutbox.BatchSize)
                    {
                        await Task.Delay(GatherFor, stoppingToken);
                    }
                }
                else
                {
                    await outbox.WaitForNewMailAsync(await WakeAtAsync(lookedAt, stoppingToken), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (DbException exception)
            {
                // A full disk or a database locked for too long: the mail stays queued; look again in a while.
                DatabaseFailed(logger, exception, AfterDatabaseFailure.TotalSeconds);
                await Task.Delay(AfterDatabaseFailure, stoppingToken);
            }
        }
    }

    /// <summary>When the next retry comes due, but no later than <see cref="LookAtLeastEvery"/> after <paramref name="lookedAt"/>.</summary>
    private async Task<DateTimeOffset> WakeAtAsync(DateTimeOffset lookedAt, CancellationToken ct)
    {
        var latest = lookedAt + LookAtLeastEvery;
        if (await outbox.NextAttemptAsync(ct) is not { } next)
        {
            return latest;
        }
        var nextAttempt = new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc));
        return nextAttempt < latest ? nextAttempt : latest;
    }

    private async Task SendAsync(IReadOnlyList<QueuedMail> batch, CancellationToken stoppingToken)
    {
        var claimedAt = clock.GetUtcNow();
        var settled = new List<MailSettlement>(batch.Count);
        foreach (var mail in batch)
        {
            // What is left goes back to the outbox: when stopping, and before the claim could run out mid-send (a
            // slow mail server), after which another sender may take the same message.
            if (stoppingToken.IsCancellationRequested || clock.GetUtcNow() - claimedAt >= outbox.ClaimFor / 2)
            {
                break;
            }
            settled.Add(Settle(mail, await AttemptAsync(mail)));
        }
        await outbox.SettleAsync(batch, settled, CancellationToken.None);
    }

    private async Task<MailAttempt> AttemptAsync(QueuedMail mail)
    {
        try
        {
            // Not cancelled by stopping: one message (a file, or an SMTP exchange with its timeouts) is finished.
            return await sender.AttemptAsync(mail.ToOutgoingMail(), CancellationToken.None);
        }
        catch (Exception exception)
        {
            // Not a known delivery failure: a bug, or something the mail server said that MailKit did not expect. It
            // counts as a failed attempt, so that one message cannot stop the worker, nor (queued again at every
            // start) the blog.
            return new MailAttempt(MailOutcome.Failed, exception);
        }
    }

    private MailSettlement Settle(QueuedMail mail, MailAttempt attempt)
    {
        var attempts = mail.Attempts + 1;
        if (attempt.Outcome == MailOutcome.Sent)
        {
            return new MailSettlement(mail.Id, MailFate.Sent, attempts);
        }
        if (attempt.Outcome == MailOutcome.Unusable)
        {
            const string reason = "the recipient address can't be used for mail";
            GaveUp(logger, null, mail.Subject, attempts, reason, KeepGivenUpFor.TotalDays);
            return new MailSettlement(mail.Id, MailFate.GivenUp, attempts, Error: reason);
        }
        var error = attempt.Error?.Message ?? "unknown error";
        if (attempts >= MailRetry.MaxAttempts)
        {
            GaveUp(logger, attempt.Error, mail.Subject, attempts, error, KeepGivenUpFor.TotalDays);
            return new MailSettlement(mail.Id, MailFate.GivenUp, attempts, Error: error);
        }
        var delay = MailRetry.DelayAfter(attempts, Random.Shared.NextDouble());
        WillRetry(logger, attempt.Error, mail.Subject, attempts, MailRetry.MaxAttempts, delay.TotalMinutes);
        return new MailSettlement(mail.Id, MailFate.TryAgain, attempts, clock.GetUtcNow().UtcDateTime + delay, error);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Could not send \"{Subject}\" (attempt {Attempt} of {MaxAttempts}); trying again in {DelayMinutes:0.#} min")]
    private static partial void WillRetry(ILogger logger, Exception? exception, string subject, int attempt, int maxAttempts, double delayMinutes);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Gave up sending \"{Subject}\" after {Attempts} attempt(s): {Reason}. It stays in the mail_outbox table for {KeepDays} days.")]
    private static partial void GaveUp(ILogger logger, Exception? exception, string subject, int attempts, string reason, double keepDays);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "The mail outbox could not read or write the database; queued mail stays queued, next look in {Seconds} s")]
    private static partial void DatabaseFailed(ILogger logger, Exception exception, double seconds);
}
