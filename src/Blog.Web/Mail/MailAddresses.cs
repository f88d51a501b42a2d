using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using MimeKit;

namespace Blog.Web.Mail;

/// <summary>
/// Which email addresses the blog accepts: exactly those MimeKit (which sends the mail) can parse as one plain
/// address. <see cref="EmailAddressAttribute"/> only looks for an '@' and lets through addresses such as
/// <c>a.@x.com</c> that would fail later, when the account is already saved and the email must go out.
/// </summary>
public static class MailAddresses
{
    public const int MaxLength = 254;

    // Strict: what passes here also passes the lenient parse MimeKit uses when the message is written.
    private static readonly ParserOptions Strict = new()
    {
        AddressParserComplianceMode = RfcComplianceMode.Strict,
        AllowAddressesWithoutDomain = false,
        AllowUnquotedCommasInAddresses = false,
    };

    public static bool IsValid(string? address) => TryParse(address, out _);

    /// <summary>The mailbox for <paramref name="address"/>, if it is one plain, complete address and nothing more.</summary>
    public static bool TryParse(string? address, [NotNullWhen(true)] out MailboxAddress? mailbox)
    {
        mailbox = null;
        if (string.IsNullOrEmpty(address) || address.Length > MaxLength || address.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return false;
        }
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1)
        {
            return false;
        }
        // A display name ("Name <a@b.c>"), a group or a list parses too; only the bare address itself is accepted.
        if (!MailboxAddress.TryParse(Strict, address, out var parsed) || !string.IsNullOrEmpty(parsed.Name) || parsed.Route.Count > 0
            || !string.Equals(parsed.Address, address, StringComparison.Ordinal))
        {
            return false;
        }
        mailbox = parsed;
        return true;
    }
}

/// <summary>
/// An email address the blog can send to (see <see cref="MailAddresses"/>). Empty values pass, so that
/// <see cref="RequiredAttribute"/> gives its own message and optional fields stay optional.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class MailableEmailAttribute : ValidationAttribute
{
    public MailableEmailAttribute()
        : base("That doesn't look like an email address we can send mail to.")
    {
    }

    public override bool IsValid(object? value) =>
        value is null || value is string { Length: 0 } || (value is string text && MailAddresses.IsValid(text.Trim()));
}
