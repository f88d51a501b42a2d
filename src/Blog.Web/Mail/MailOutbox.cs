using System.Threading.Channels;

namespace Blog.Web.Mail;

public sealed record OutgoingMail(string To, string Subject, string Body, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// Mail to send after the response: a comment's notifications must not make its writer wait for the mail folder
/// or an SMTP server. <see cref="MailOutboxWorker"/> sends what is queued, one message at a time.
/// </summary>
public sealed class MailOutbox
{
    // Bounded so a flood cannot grow memory without limit; a full queue makes the next writer wait, not fail.
    private readonly Channel<OutgoingMail> _channel = Channel.CreateBounded<OutgoingMail>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private int _unsent;

    internal ChannelReader<OutgoingMail> Reader => _channel.Reader;

    public async ValueTask EnqueueAsync(OutgoingMail mail, CancellationToken ct)
    {
        Interlocked.Increment(ref _unsent);
        try
        {
            await _channel.Writer.WriteAsync(mail, ct);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Decrement(ref _unsent);
            throw;
        }
    }

    /// <summary>Called by the worker once a message has been handled (sent, or given up on and logged).</summary>
    internal void MarkHandled() => Interlocked.Decrement(ref _unsent);

    /// <summary>Waits until every queued message has been handled; true when that happened within the timeout.</summary>
    public async Task<bool> WaitUntilSentAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Volatile.Read(ref _unsent) > 0)
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
            await Task.Delay(5, ct);
        }
        return true;
    }
}

/// <summary>Sends the queued mail in the background; a failure is logged and does not stop the queue.</summary>
public sealed class MailOutboxWorker(MailOutbox outbox, MailSender sender) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var mail in outbox.Reader.ReadAllAsync(stoppingToken))
            {
                await SendAsync(mail, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is already queued still goes out (writing a file or a short SMTP exchange each).
            while (outbox.Reader.TryRead(out var mail))
            {
                await SendAsync(mail, CancellationToken.None);
            }
        }
    }

    private async Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        try
        {
            // A failure is already logged by the sender; the queue moves on to the next message.
            await sender.TrySendAsync(mail.To, mail.Subject, mail.Body, mail.Headers, ct);
        }
        finally
        {
            outbox.MarkHandled();
        }
    }
}
