using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Blog.Web.Data;
using Dapper;
using Microsoft.Extensions.Options;

namespace Blog.Web.Mail;

public sealed record OutgoingMail(string To, string Subject, string Body, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// Mail to send after the response, kept in the database (<c>mail_outbox</c>) until it has gone out: a comment's
/// notifications must not make its writer wait for an SMTP server, and a restart, a crash or a mail server that is
/// down must not lose them. <see cref="MailOutboxWorker"/> sends what is due; a failed attempt is tried again later
/// (<see cref="MailRetry"/>).
/// </summary>
/// <remarks>
/// A sender claims the rows it is about to send (<c>claimed_until</c>, and a <c>claim_token</c> of its own) in one
/// write, so two senders (two processes or instances on one database) never take the same message; a sender that dies
/// leaves its claim to run out, and the message is sent by the next one. A sender settles only the rows its claim still
/// holds: one slower than its lease finds the row taken over and leaves it to the sender that holds it now. A crash between handing a message to the mail server and recording that can send it twice:
/// the outbox sends at least once, never zero times.
/// </remarks>
public sealed class MailOutbox(BlogDatabase db, TimeProvider clock, IOptions<MailOptions> options)
{
    /// <summary>
    /// How long a claim keeps other senders off a row (<c>Blog:Mail:LeaseSeconds</c>); a batch stops taking new
    /// messages half-way through.
    /// </summary>
    public TimeSpan ClaimFor => TimeSpan.FromSeconds(options.Value.LeaseSeconds);

    /// <summary>The most messages one claim takes.</summary>
    public const int BatchSize = 50;

    private const string WaitingFilter = "given_up_at IS NULL";

    // One pending wake-up is as good as many: the worker takes everything that is due when it wakes.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    // Senders between two waits for mail (see WaitUntilSentAsync): 0 or 1 in a process.
    private int _sendersAtWork;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Queues one message; it is saved in the database when this returns.</summary>
    public ValueTask EnqueueAsync(OutgoingMail mail, CancellationToken ct) => EnqueueAsync([mail], ct);

    /// <summary>Queues several messages in one transaction; they are saved in the database when this returns.</summary>
    public async ValueTask EnqueueAsync(IReadOnlyCollection<OutgoingMail> mails, CancellationToken ct)
    {
        if (mails.Count == 0)
        {
            return;
        }
        await using var write = await db.BeginWriteAsync(ct);
        await AddAsync(write, mails, ct);
        await write.CommitAsync(ct);
    }

    /// <summary>
    /// Queues the messages inside the caller's write transaction: they are saved with what caused them, or not at
    /// all, and the worker is woken once that transaction commits.
    /// </summary>
    public async Task AddAsync(DatabaseWrite write, IEnumerable<OutgoingMail> mails, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO mail_outbox (recipient, subject, body, headers, queued_at, next_attempt_at)
            VALUES (@To, @Subject, @Body, @Headers, @Now, @Now)
            """;
        var now = Now;
        var rows = mails.Select(mail => new
        {
            mail.To,
            mail.Subject,
            mail.Body,
            Headers = mail.Headers is null ? null : JsonSerializer.Serialize(mail.Headers),
            Now = now,
        }).ToList();
        if (rows.Count == 0)
        {
            return;
        }
        await write.Connection.ExecuteAsync(new CommandDefinition(sql, rows, write.Transaction, cancellationToken: ct));
        write.WhenCommitted(Wake);
    }

    /// <summary>
    /// Waits until nothing in the outbox is due (every message is sent, waiting for its next attempt, or given up on)
    /// and this process's sender is resting, so the database holds still. True when that happened within the
    /// timeout. Tests read the mail folder, or watch what the blog asks of its database, after it.
    /// </summary>
    public async Task<bool> WaitUntilSentAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        while (Volatile.Read(ref _sendersAtWork) > 0 || await AnyDueAsync(countClaimed: true, ct))
        {
            if (Stopwatch.GetElapsedTime(started) >= timeout)
            {
                return false;
            }
            await Task.Delay(10, ct);
        }
        return true;
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>The sender's loop calls these as it starts and ends: a sender is at work whenever it is not waiting for mail.</summary>
    internal void SenderStarted() => Interlocked.Increment(ref _sendersAtWork);

    internal void SenderStopped() => Interlocked.Decrement(ref _sendersAtWork);

    /// <summary>
    /// Waits for a new message, or until <paramref name="wakeAt"/> on the blog's clock, whichever is first; not at all
    /// when that time has come. A moment rather than a length, counted from when the sender last looked: a clock that
    /// moves on while the sender looks and gets ready to wait (a jump of the test clock, a correction of the system's)
    /// shortens the wait instead of pushing its end out by the same amount.
    /// </summary>
    internal async Task WaitForNewMailAsync(DateTimeOffset wakeAt, CancellationToken ct)
    {
        var atMost = wakeAt - clock.GetUtcNow();
        if (atMost <= TimeSpan.Zero)
        {
            return;
        }
        using var timeout = new CancellationTokenSource(atMost, clock);
        // The timer counts from when it was made: if the clock reached wakeAt just before that, it would count from too late.
        if (clock.GetUtcNow() >= wakeAt)
        {
            return;
        }
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, ct);
        Interlocked.Decrement(ref _sendersAtWork);
        try
        {
            await _wake.Reader.WaitToReadAsync(either.Token);
            _wake.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The time is up: look again.
        }
        finally
        {
            Interlocked.Increment(ref _sendersAtWork);
        }
    }

    /// <summary>
    /// Whether any message is due now. With <paramref name="countClaimed"/>, those a sender is working on count too
    /// (they are not sent yet); without, only those a sender could take.
    /// </summary>
    private async Task<bool> AnyDueAsync(bool countClaimed, CancellationToken ct)
    {
        const string sql = $"""
            SELECT EXISTS (
                SELECT 1 FROM mail_outbox
                WHERE {WaitingFilter} AND next_attempt_at <= @Now AND (@CountClaimed OR claimed_until IS NULL OR claimed_until <= @Now))
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { Now, CountClaimed = countClaimed }, cancellationToken: ct));
    }

    /// <summary>When the earliest message waiting for a later attempt comes due, or null when none waits.</summary>
    internal async Task<DateTime?> NextAttemptAsync(CancellationToken ct)
    {
        const string sql = $"SELECT MIN(next_attempt_at) FROM mail_outbox WHERE {WaitingFilter} AND next_attempt_at > @Now";
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(sql, new { Now }, cancellationToken: ct));
    }

    /// <summary>
    /// Makes every message waiting for a later attempt due now. Run when the blog starts: a restart is often how the
    /// owner puts right what made mail fail (the SMTP settings), and the mail should not then wait hours for its turn.
    /// Each message's attempts still count towards <see cref="MailRetry.MaxAttempts"/>.
    /// </summary>
    internal async Task MakeWaitingMailDueAsync(CancellationToken ct)
    {
        const string sql = $"UPDATE mail_outbox SET next_attempt_at = @Now WHERE {WaitingFilter} AND next_attempt_at > @Now";
        if (await NextAttemptAsync(ct) is null)
        {
            return;
        }
        await using var write = await db.BeginWriteAsync(ct);
        await write.Connection.ExecuteAsync(new CommandDefinition(sql, new { Now }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
    }

    /// <summary>Claims up to <see cref="BatchSize"/> due messages, oldest first, for <see cref="ClaimFor"/>.</summary>
    internal async Task<IReadOnlyList<QueuedMail>> ClaimDueAsync(CancellationToken ct)
    {
        // On SQLite the write lock makes the claim exclusive. PostgreSQL's instances claim side by side: each locks
        // the rows it takes and skips those another holds, and the outer WHERE checks again what the lock waited for.
        var sql = db.Dialect.Text(new DialectSql(
            Sqlite: $"""
                UPDATE mail_outbox SET claimed_until = @ClaimedUntil, claim_token = @ClaimToken
                WHERE id IN (
                    SELECT id FROM mail_outbox
                    WHERE {WaitingFilter} AND next_attempt_at <= @Now AND (claimed_until IS NULL OR claimed_until <= @Now)
                    ORDER BY next_attempt_at, id
                    LIMIT @BatchSize)
                RETURNING id, recipient, subject, body, headers, attempts, claim_token
                """,
            PostgreSql: $"""
                UPDATE mail_outbox SET claimed_until = @ClaimedUntil, claim_token = @ClaimToken
                WHERE id IN (
                    SELECT id FROM mail_outbox
                    WHERE {WaitingFilter} AND next_attempt_at <= @Now AND (claimed_until IS NULL OR claimed_until <= @Now)
                    ORDER BY next_attempt_at, id
                    LIMIT @BatchSize
                    FOR UPDATE SKIP LOCKED)
                  AND {WaitingFilter} AND (claimed_until IS NULL OR claimed_until <= @Now)
                RETURNING id, recipient, subject, body, headers, attempts, claim_token
                """));
        // A look first, without the write lock: most wake-ups that find nothing (the periodic one) then write nothing.
        if (!await AnyDueAsync(countClaimed: false, ct))
        {
            return [];
        }
        var now = Now;
        await using var write = await db.BeginWriteAsync(ct);
        var claimed = await write.Connection.QueryAsync<QueuedMail>(new CommandDefinition(
            sql, new { Now = now, ClaimedUntil = now + ClaimFor, ClaimToken = Guid.NewGuid().ToString("N"), BatchSize },
            write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
        return [.. claimed.OrderBy(mail => mail.Id)];
    }

    /// <summary>
    /// Records what became of a claimed batch, in one transaction: sent messages are deleted, failed ones wait for
    /// their next attempt or are marked given up, and those not attempted (the blog is stopping) are released. Only
    /// rows the batch's claim still holds change: a row whose lease ran out and another sender took is that sender's.
    /// </summary>
    internal async Task SettleAsync(IReadOnlyList<QueuedMail> batch, IReadOnlyList<MailSettlement> settled, CancellationToken ct)
    {
        const string deleteSent = "DELETE FROM mail_outbox WHERE id = @Id AND claim_token = @ClaimToken";
        const string scheduleRetry = """
            UPDATE mail_outbox SET attempts = @Attempts, next_attempt_at = @NextAttemptAt, last_error = @Error, claimed_until = NULL, claim_token = NULL
            WHERE id = @Id AND claim_token = @ClaimToken
            """;
        const string giveUp = """
            UPDATE mail_outbox SET attempts = @Attempts, given_up_at = @Now, last_error = @Error, claimed_until = NULL, claim_token = NULL
            WHERE id = @Id AND claim_token = @ClaimToken
            """;
        const string release = "UPDATE mail_outbox SET claimed_until = NULL, claim_token = NULL WHERE id = @Id AND claim_token = @ClaimToken";
        var now = Now;
        var claims = batch.ToDictionary(mail => mail.Id, mail => mail.ClaimToken);
        var attempted = settled.Select(s => s.Id).ToHashSet();
        await using var write = await db.BeginWriteAsync(ct);
        await ExecuteEachAsync(write, deleteSent, settled.Where(s => s.Fate == MailFate.Sent).Select(s => new { s.Id, ClaimToken = claims[s.Id] }), ct);
        await ExecuteEachAsync(write, scheduleRetry, settled.Where(s => s.Fate == MailFate.TryAgain)
            .Select(s => new { s.Id, s.Attempts, s.NextAttemptAt, s.Error, ClaimToken = claims[s.Id] }), ct);
        await ExecuteEachAsync(write, giveUp, settled.Where(s => s.Fate == MailFate.GivenUp)
            .Select(s => new { s.Id, s.Attempts, s.Error, Now = now, ClaimToken = claims[s.Id] }), ct);
        await ExecuteEachAsync(write, release, batch.Where(mail => !attempted.Contains(mail.Id)).Select(mail => new { mail.Id, mail.ClaimToken }), ct);
        await write.CommitAsync(ct);
    }

    /// <summary>Deletes the messages given up on before <paramref name="before"/>.</summary>
    internal async Task DeleteGivenUpAsync(DateTime before, CancellationToken ct)
    {
        const string sql = "DELETE FROM mail_outbox WHERE given_up_at IS NOT NULL AND given_up_at < @Before";
        const string any = "SELECT EXISTS (SELECT 1 FROM mail_outbox WHERE given_up_at IS NOT NULL AND given_up_at < @Before)";
        await using (var connection = await db.OpenAsync(ct))
        {
            if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(any, new { Before = before }, cancellationToken: ct)))
            {
                return;
            }
        }
        await using var write = await db.BeginWriteAsync(ct);
        await write.Connection.ExecuteAsync(new CommandDefinition(sql, new { Before = before }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
    }

    private static async Task ExecuteEachAsync(DatabaseWrite write, string sql, IEnumerable<object> rows, CancellationToken ct)
    {
        var list = rows.ToList();
        if (list.Count > 0)
        {
            await write.Connection.ExecuteAsync(new CommandDefinition(sql, list, write.Transaction, cancellationToken: ct));
        }
    }
}

/// <summary>A row of the outbox as a sender claimed it.</summary>
internal sealed record QueuedMail
{
    public long Id { get; init; }

    public required string Recipient { get; init; }

    public required string Subject { get; init; }

    public required string Body { get; init; }

    public string? Headers { get; init; }

    public int Attempts { get; init; }

    /// <summary>The claim this row was taken under; settling it checks the row is still held by it.</summary>
    public required string ClaimToken { get; init; }

    public OutgoingMail ToOutgoingMail() => new(Recipient, Subject, Body,
        Headers is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(Headers));
}

internal enum MailFate
{
    Sent,
    TryAgain,
    GivenUp,
}

/// <summary>What one attempt made of a claimed message, as <see cref="MailOutbox.SettleAsync"/> records it.</summary>
internal sealed record MailSettlement(long Id, MailFate Fate, int Attempts, DateTime? NextAttemptAt = null, string? Error = null);
