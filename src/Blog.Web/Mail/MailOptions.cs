using MailKit.Security;

namespace Blog.Web.Mail;

/// <summary>
/// The <c>Blog:Mail</c> section. Without an SMTP host, messages are written as .eml files into the data
/// folder's <c>mail</c> folder, so a fresh install works and an admin can read what would have been sent.
/// </summary>
public sealed class MailOptions
{
    public const string SectionName = "Blog:Mail";

    public string From { get; set; } = "Quire <quire@localhost>";

    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 587;

    public string? SmtpUser { get; set; }

    public string? SmtpPassword { get; set; }

    /// <summary>
    /// How long a sender keeps the messages it took from the outbox before another instance may take them over
    /// (a sender that died); a sender hands back what it has not attempted after half of it.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(2, 86_400)]
    public int LeaseSeconds { get; set; } = 300;

    /// <summary>How the SMTP connection is protected; see <see cref="Mail.SmtpSecurity"/>.</summary>
    public SmtpSecurity SmtpSecurity { get; set; } = SmtpSecurity.Auto;

    /// <summary>The MailKit connection option these settings ask for.</summary>
    public SecureSocketOptions SocketOptions => SmtpSecurity switch
    {
        Mail.SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        Mail.SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        Mail.SmtpSecurity.None => SecureSocketOptions.None,
        _ when !string.IsNullOrEmpty(SmtpUser) => SecureSocketOptions.StartTls,
        // Nothing secret to protect: a local relay without TLS still works, and TLS is used when offered.
        _ => SecureSocketOptions.StartTlsWhenAvailable,
    };
}

public enum SmtpSecurity
{
    /// <summary>
    /// STARTTLS, required, when a user name is configured (credentials never cross the wire in clear unless
    /// <see cref="None"/> is chosen on purpose); without credentials, STARTTLS when the server offers it.
    /// </summary>
    Auto,

    /// <summary>Plain connection upgraded with STARTTLS (usually port 587); refuses servers that don't offer it.</summary>
    StartTls,

    /// <summary>TLS from the first byte (usually port 465).</summary>
    SslOnConnect,

    /// <summary>No TLS at all, for a relay on the same machine or network; credentials, if any, go in clear.</summary>
    None,
}
