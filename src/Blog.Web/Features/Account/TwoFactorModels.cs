using System.ComponentModel.DataAnnotations;

namespace Blog.Web.Features.Account;

/// <summary>The two-factor settings page: either the status (on) or the setup steps (off).</summary>
public sealed record TwoFactorSettings
{
    public bool Enabled { get; init; }

    public int RecoveryCodesLeft { get; init; }

    /// <summary>The shared key in groups of four, while setting up; null before setup starts.</summary>
    public string? FormattedKey { get; init; }

    public TwoFactorEnableForm Form { get; init; } = new();
}

public sealed class TwoFactorEnableForm
{
    [Required(ErrorMessage = "Enter the 6-digit code from your authenticator app.")]
    [StringLength(16, ErrorMessage = "The code is 6 digits.")]
    [Display(Name = "Code from the app")]
    public string Code { get; set; } = "";
}

public sealed class TwoFactorCodeForm
{
    [Required(ErrorMessage = "Enter the 6-digit code from your authenticator app.")]
    [StringLength(16, ErrorMessage = "The code is 6 digits.")]
    [Display(Name = "Code from your authenticator app")]
    public string Code { get; set; } = "";

    [Display(Name = "Don't ask again on this device")]
    public bool RememberDevice { get; set; }

    public bool RememberMe { get; set; }

    public string? ReturnUrl { get; set; }
}

public sealed class RecoveryCodeForm
{
    [Required(ErrorMessage = "Enter one of your recovery codes.")]
    [StringLength(32, ErrorMessage = "That is longer than a recovery code.")]
    [Display(Name = "Recovery code")]
    public string Code { get; set; } = "";

    public string? ReturnUrl { get; set; }
}
