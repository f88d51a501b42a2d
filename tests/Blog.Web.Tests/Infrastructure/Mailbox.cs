using System.Text.RegularExpressions;
using Blog.Web.Mail;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>Reads what the blog "sent": the .eml files in the data folder's mail folder.</summary>
public static partial class Mailbox
{
    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkPattern();

    public static IReadOnlyList<MimeMessage> MessagesTo(BlogAppFactory app, string address)
    {
        // Some mail (a comment's notifications) leaves through a background queue: read once it is all out.
        var outbox = app.Services.GetRequiredService<MailOutbox>();
        Assert.True(outbox.WaitUntilSentAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult(), "Queued mail was not sent within 30 seconds.");
        var folder = Path.Combine(app.DataDirectory, "mail");
        if (!Directory.Exists(folder))
        {
            return [];
        }
        // In the order they were written: a file's name starts with the blog's clock, which tests stop, and two
        // messages of one stopped instant would otherwise come in the random order of the rest of their names.
        return Directory.GetFiles(folder, "*.eml")
            .OrderBy(File.GetLastWriteTimeUtc)
            .ThenBy(path => path, StringComparer.Ordinal)
            .Select(path => MimeMessage.Load(path))
            .Where(message => message.To.Mailboxes.Any(m => string.Equals(m.Address, address, StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }

    public static MimeMessage LastMessageTo(BlogAppFactory app, string address)
    {
        var messages = MessagesTo(app, address);
        return messages.Count > 0 ? messages[^1] : throw new InvalidOperationException($"No mail was sent to {address}.");
    }

    /// <summary>The first link in the last message to <paramref name="address"/>, as a path and query on this blog.</summary>
    public static string LinkInLastMessageTo(BlogAppFactory app, string address, string? containing = null)
    {
        var body = LastMessageTo(app, address).TextBody ?? "";
        var link = LinkPattern().Matches(body).Select(m => m.Value)
            .FirstOrDefault(url => containing is null || url.Contains(containing, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"No link in the last message to {address}:\n{body}");
        return new Uri(link).PathAndQuery;
    }
}
