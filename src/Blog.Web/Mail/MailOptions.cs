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

    /// <summary>Use STARTTLS when the server offers it (port 587); false for a local relay without TLS.</summary>
    public bool SmtpUseStartTls { get; set; } = true;
}
