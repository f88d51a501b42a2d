using System.Globalization;
using Blog.Web.Hosting;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Blog.Web.Mail;

/// <summary>Sends the blog's plain-text emails: over SMTP when configured, otherwise into the mail folder.</summary>
public sealed class MailSender(IOptions<MailOptions> options, DataFolder dataFolder, TimeProvider clock, ILogger<MailSender> logger)
{
    public Task SendAsync(string toAddress, string subject, string body, CancellationToken cancellationToken = default) =>
        SendAsync(toAddress, subject, body, headers: null, cancellationToken);

    /// <summary>Sends with extra header fields, such as List-Unsubscribe on notifications a member can turn off.</summary>
    public async Task SendAsync(
        string toAddress, string subject, string body, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(toAddress));
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
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(settings.SmtpHost, settings.SmtpPort,
            settings.SmtpUseStartTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None, cancellationToken);
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
}

public static class MailServiceCollectionExtensions
{
    public static IServiceCollection AddBlogMail(this IServiceCollection services)
    {
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.SectionName);
        services.AddSingleton<MailSender>();
        services.AddSingleton<MailOutbox>();
        services.AddHostedService<MailOutboxWorker>();
        return services;
    }
}
