using System.ComponentModel.DataAnnotations;
using Blog.Web.Identity;
using Blog.Web.Mail;

namespace Blog.Web.Features.Account;

/// <summary>What the /account page shows about the signed-in person.</summary>
public sealed record AccountOverview(string DisplayName, string Email, string RoleDescription, bool TwoFactorEnabled, DateTime CreatedAt)
{
    /// <summary>Imported comments written with this account's confirmed address, not claimed yet.</summary>
    public int ClaimableComments { get; init; }
}

public sealed class DisplayNameForm
{
    private string _displayName = "";

    [Required(ErrorMessage = "Enter the name to show next to your comments.")]
    [StringLength(Member.DisplayNameMaxLength, ErrorMessage = "Keep your display name to {1} characters or fewer.")]
    [Display(Name = "Display name")]
    public string DisplayName
    {
        get => _displayName;
        // Trimmed as it is bound, so the length check and the saved name agree.
        set => _displayName = value?.Trim() ?? "";
    }
}

public sealed class ChangePasswordForm
{
    [Required(ErrorMessage = "Enter your current password.")]
    [StringLength(256, ErrorMessage = "That password is too long.")]
    [DataType(DataType.Password)]
    [Display(Name = "Current password")]
    public string CurrentPassword { get; set; } = "";

    [Required(ErrorMessage = "Choose a new password.")]
    [StringLength(256, MinimumLength = 10, ErrorMessage = "Use at least {2} characters for your password.")]
    [DataType(DataType.Password)]
    [Display(Name = "New password")]
    public string NewPassword { get; set; } = "";

    [Required(ErrorMessage = "Type the new password again.")]
    [Compare(nameof(NewPassword), ErrorMessage = "The two passwords don't match.")]
    [DataType(DataType.Password)]
    [Display(Name = "Confirm new password")]
    public string ConfirmPassword { get; set; } = "";
}

public sealed class ChangeEmailForm
{
    [Required(ErrorMessage = "Enter your new email address.")]
    [StringLength(MailAddresses.MaxLength, ErrorMessage = "That email address is too long.")]
    [MailableEmail]
    [Display(Name = "New email")]
    public string NewEmail { get; set; } = "";

    [Required(ErrorMessage = "Enter your current password.")]
    [StringLength(256, ErrorMessage = "That password is too long.")]
    [DataType(DataType.Password)]
    [Display(Name = "Current password")]
    public string CurrentPassword { get; set; } = "";

    public string CurrentEmail { get; set; } = "";
}

/// <summary>The hidden fields of the "confirm your new email" form, straight from the emailed link.</summary>
public sealed class ConfirmEmailChangeForm
{
    [Required, StringLength(64)]
    public string UserId { get; set; } = "";

    [Required, MailableEmail, StringLength(MailAddresses.MaxLength)]
    public string Email { get; set; } = "";

    [Required, StringLength(2048)]
    public string Code { get; set; } = "";
}

/// <summary>The password, asked for before something an unattended browser must not do (deleting the account, ...).</summary>
public sealed class PasswordConfirmationForm
{
    [Required(ErrorMessage = "Enter your password to confirm.")]
    [StringLength(256, ErrorMessage = "That password is too long.")]
    [DataType(DataType.Password)]
    [Display(Name = "Your password")]
    public string Password { get; set; } = "";
}

/// <summary>A page that asks for the password before doing one thing, such as turning two-factor sign-in off.</summary>
public sealed record PasswordPrompt(string Heading, string Lead, string Button, bool Dangerous = false)
{
    public PasswordConfirmationForm Form { get; init; } = new();
}
