using System.ComponentModel.DataAnnotations;
using Blog.Web.Identity;
using Blog.Web.Mail;

namespace Blog.Web.Features.Account;

public sealed class RegisterForm
{
    [Required(ErrorMessage = "Enter the name to show next to your comments.")]
    [StringLength(Member.DisplayNameMaxLength, ErrorMessage = "Keep your display name to {1} characters or fewer.")]
    [Display(Name = "Display name")]
    public string DisplayName { get; set; } = "";

    [Required(ErrorMessage = "Enter your email address.")]
    [StringLength(MailAddresses.MaxLength, ErrorMessage = "That email address is too long.")]
    [MailableEmail]
    [Display(Name = "Email")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Choose a password.")]
    [StringLength(256, MinimumLength = 10, ErrorMessage = "Use at least {2} characters for your password.")]
    [DataType(DataType.Password)]
    [Display(Name = "Password")]
    public string Password { get; set; } = "";

    [Required(ErrorMessage = "Type your password again.")]
    [Compare(nameof(Password), ErrorMessage = "The two passwords don't match.")]
    [DataType(DataType.Password)]
    [Display(Name = "Confirm password")]
    public string ConfirmPassword { get; set; } = "";

    public string? ReturnUrl { get; set; }
}

public sealed class SignInForm
{
    [Required(ErrorMessage = "Enter your email address.")]
    [StringLength(254, ErrorMessage = "That email address is too long.")]
    [Display(Name = "Email")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Enter your password.")]
    [StringLength(256, ErrorMessage = "That password is too long.")]
    [DataType(DataType.Password)]
    [Display(Name = "Password")]
    public string Password { get; set; } = "";

    [Display(Name = "Keep me signed in on this device")]
    public bool RememberMe { get; set; }

    public string? ReturnUrl { get; set; }
}

public sealed class ResendConfirmationForm
{
    [Required(ErrorMessage = "Enter your email address.")]
    [StringLength(MailAddresses.MaxLength, ErrorMessage = "That email address is too long.")]
    [MailableEmail]
    [Display(Name = "Email")]
    public string Email { get; set; } = "";
}

/// <summary>The fields of the emailed "confirm your email" link, shown as hidden fields of its Confirm form.</summary>
public sealed class ConfirmEmailForm
{
    [Required, StringLength(64)]
    public string UserId { get; set; } = "";

    [Required, StringLength(2048)]
    public string Code { get; set; } = "";

    [StringLength(2048)]
    public string? ReturnUrl { get; set; }
}
