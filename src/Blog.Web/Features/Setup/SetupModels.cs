using System.ComponentModel.DataAnnotations;
using Blog.Web.Mail;
using Blog.Web.Identity;

namespace Blog.Web.Features.Setup;

public sealed class SetupForm
{
    public string? Token { get; set; }

    [Required(ErrorMessage = "Enter the name to show on your posts and comments.")]
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
}
