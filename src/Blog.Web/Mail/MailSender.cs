using System.Globalization;
using System.Net.Sockets;
using Blog.Web.Hosting;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Blog.Web.Mail;

/// <summary>What one attempt to send a message came to; <see cref="Error"/> says why a failed one failed.</summary>
public sealed record MailAttempt(MailOutcome Outcome, Exception? Error = null)
{
    public static MailAttempt Sent { get; } = new(MailOutcome.Sent);

    public static MailAttempt UnusableAddress { get; } = new(MailOutcome.Unusable);
}

public enum MailOutcome
{
    Sent,

    /// <summary>The mail server or the mail folder failed: trying again later may work.</summary>
    Failed,

    /// <summary>The recipient's address is not one mail can go to: trying again never helps.</summary>
    Unusable,
}

/// <summary>
/// Sends the blog's plain-text emails: over SMTP when configured, otherwise into the mail folder. A message that
/// cannot go out (SMTP server down, a stored address MimeKit cannot use) is logged and reported as false, never
/// thrown: what the person just did is already saved, and the page tells them to ask for the email again.
/// </summary>
public sealed class MailSender(IOptions<MailOptions> options, DataFolder dataFolder, TimeProvider clock, ILogger<MailSender> logger)
{
    /// <summary>Sends one message; false (and a logged warning) when it could not be sent.</summary>
    public Task<bool> TrySendAsync(string toAddress, string subject, string body, CancellationToken cancellationToken = default) =>
        TrySendAsync(toAddress, subject, body, headers: null, cancellationToken);

    /// <summary>Sends with extra header fields, such as List-Unsubscribe on notifications a member can turn off.</summary>
    public async Task<bool> TrySendAsync(
        string toAddress, string subject, string body, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken = default)
    {
        var attempt = await AttemptAsync(new OutgoingMail(toAddress, subject, body, headers), cancellationToken);
        if (attempt.Outcome == MailOutcome.Unusable)
        {
            logger.LogWarning("Not sending \"{Subject}\": the recipient address can't be used for mail", subject);
        }
        else if (attempt.Outcome == MailOutcome.Failed)
        {
            logger.LogWarning(attempt.Error, "Could not send \"{Subject}\"", subject);
        }
        return attempt.Outcome == MailOutcome.Sent;
    }

    /// <summary>
    /// Sends one message and says how that went, without logging: the outbox logs a failure with what it does next.
    /// </summary>
    public async Task<MailAttempt> AttemptAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        if (!MailAddresses.TryParse(mail.To, out var to))
        {
            return MailAttempt.UnusableAddress;
        }
        try
        {
            await SendAsync(to, mail.Subject, mail.Body, mail.Headers, cancellationToken);
            return MailAttempt.Sent;
        }
        catch (Exception exception) when (IsDeliveryFailure(exception))
        {
            return new MailAttempt(MailOutcome.Failed, exception);
        }
    }

    private async Task SendAsync(
        MailboxAddress to, string subject, string body, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(to);
        message.Subject = subject;
        message.Date = clock.GetUtcNow();
        message.Body = new TextPart("plain") { Text = body };
        foreach (var (field, value) in headers ?? new Dictionary<string, string>())
        {
            message.Headers.Add(field, value);
        }

        if (string.IsNullOrWhiteSpace(settings.SmtpHost))
        {
            await WriteToMailFolderAsync(message, cancellationToken);
            return;
        }
        // A server that accepts the connection and then says nothing must not hold the person's request for
        // MailKit's default two minutes.
        using var smtp = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(15).TotalMilliseconds };
        await smtp.ConnectAsync(settings.SmtpHost, settings.SmtpPort, settings.SocketOptions, cancellationToken);
        if (!string.IsNullOrEmpty(settings.SmtpUser))
        {
            await smtp.AuthenticateAsync(settings.SmtpUser, settings.SmtpPassword ?? "", cancellationToken);
        }
        await smtp.SendAsync(message, cancellationToken);
        await smtp.DisconnectAsync(quit: true, cancellationToken);
        logger.LogInformation("Sent \"{Subject}\" over SMTP", subject);
    }

    private async Task WriteToMailFolderAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        // Sortable by time, unique even for messages sent in the same tick.
        var name = string.Create(CultureInfo.InvariantCulture,
            $"{clock.GetUtcNow():yyyyMMdd'T'HHmmss'.'fffffff}-{Guid.NewGuid():N}.eml");
        var path = Path.Combine(dataFolder.MailPath, name);
        await message.WriteToAsync(path, cancellationToken);
        logger.LogInformation("Wrote \"{Subject}\" to the mail folder as {FileName}", message.Subject, name);
    }

    /// <summary>
    /// What an unreachable, refusing or misconfigured mail server (or a full disk for the mail folder) throws.
    /// Cancellation is not among them: an abandoned request stays abandoned.
    /// </summary>
    private static bool IsDeliveryFailure(Exception exception) => exception is IOException or UnauthorizedAccessException
        or SocketException or TimeoutException or NotSupportedException or FormatException or ParseException
        or MailKit.ProtocolException or MailKit.CommandException or MailKit.ServiceNotConnectedException
        or MailKit.ServiceNotAuthenticatedException or MailKit.Security.AuthenticationException or MailKit.Security.SslHandshakeException;
}
