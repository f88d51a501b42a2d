using System.ComponentModel.DataAnnotations;
using Blog.Web.Mail;

namespace Blog.Web.Features.Account;

public sealed class ForgotPasswordForm
{
    [Required(ErrorMessage = "Enter your email address.")]
    [StringLength(MailAddresses.MaxLength, ErrorMessage = "That email address is too long.")]
    [MailableEmail]
    [Display(Name = "Email")]
    public string Email { get; set; } = "";
}

public sealed class ResetPasswordForm
{
    [Required, StringLength(64)]
    public string UserId { get; set; } = "";

    [Required, StringLength(2048)]
    public string Code { get; set; } = "";

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
