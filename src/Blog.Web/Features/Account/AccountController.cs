using Blog.Web.Features.Seo;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Blog.Web.Mail;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Blog.Web.Features.Account;

/// <summary>Registering, confirming an email address, signing in and out.</summary>
[Route("account")]
public sealed class AccountController(
    UserManager<Member> users,
    SignInManager<Member> signIn,
    SiteSettingsStore settings,
    MailSender mail,
    TimeProvider clock) : AccountFeatureController
{
    [HttpGet("register")]
    public IActionResult Register(string? returnUrl) => View(new RegisterForm { ReturnUrl = LocalOrNull(returnUrl) });

    [HttpPost("register")]
    [EnableRateLimiting(RateLimits.Register)]
    public async Task<IActionResult> Register(RegisterForm form, CancellationToken cancellationToken)
    {
        form.ReturnUrl = LocalOrNull(form.ReturnUrl);
        if (!ModelState.IsValid)
        {
            return View(form);
        }
        var member = new Member
        {
            UserName = form.Email.Trim(),
            Email = form.Email.Trim(),
            DisplayName = form.DisplayName.Trim(),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        var result = await users.CreateAsync(member, form.Password);
        if (!result.Succeeded)
        {
            AddErrors(result);
            return View(form);
        }
        if (!await SendConfirmationAsync(member, form.ReturnUrl, cancellationToken))
        {
            return View("Message", new AccountMessage(
                "Your account is created",
                $"We couldn't send the confirmation email to {member.Email} just now. Try \"Send a new link\" in a few minutes.",
                "Send a new link", Url.Action(nameof(ResendConfirmation), new { email = member.Email })));
        }
        return View("Message", new AccountMessage(
            "Check your email",
            $"We sent a confirmation link to {member.Email}. Follow it to finish creating your account."));
    }

    /// <summary>The emailed link only shows a button: following a link must not change anything by itself.</summary>
    [HttpGet("confirm-email")]
    public async Task<IActionResult> ConfirmEmail(ConfirmEmailForm form)
    {
        var member = ModelState.IsValid ? await users.FindByIdAsync(form.UserId) : null;
        if (member is null)
        {
            return LinkIncomplete();
        }
        // Checked (not used) here, so a forged or stale link says so before anyone presses the button.
        var valid = await users.VerifyUserTokenAsync(member, users.Options.Tokens.EmailConfirmationTokenProvider,
            UserManager<Member>.ConfirmEmailTokenPurpose, form.Code);
        form.ReturnUrl = LocalOrNull(form.ReturnUrl);
        return valid ? View(form) : LinkExpired();
    }

    [HttpPost("confirm-email")]
    [ActionName(nameof(ConfirmEmail))]
    public async Task<IActionResult> ConfirmEmailPost(ConfirmEmailForm form, CancellationToken cancellationToken)
    {
        var member = ModelState.IsValid ? await users.FindByIdAsync(form.UserId) : null;
        if (member is null)
        {
            return LinkIncomplete();
        }
        var result = await users.ConfirmEmailAsync(member, form.Code);
        if (!result.Succeeded)
        {
            return LinkExpired();
        }
        if ((await settings.GetAsync(cancellationToken)).MembershipMode == MembershipMode.Open && member.Role == MemberRole.Reader)
        {
            member.Role = MemberRole.Member;
            await users.UpdateAsync(member);
        }
        var signInUrl = Url.Action(nameof(SignIn), new { returnUrl = LocalOrNull(form.ReturnUrl) });
        return View("Message", new AccountMessage("Email confirmed", "Your email address is confirmed. You can sign in now.", "Sign in", signInUrl));
    }

    [HttpGet("resend-confirmation")]
    public IActionResult ResendConfirmation(string? email) => View(new ResendConfirmationForm { Email = email ?? "" });

    [HttpPost("resend-confirmation")]
    [EnableRateLimiting(RateLimits.ForgotPassword)]
    public async Task<IActionResult> ResendConfirmation(ResendConfirmationForm form, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return View(form);
        }
        var email = form.Email.Trim();
        var member = await users.FindByEmailAsync(email);
        bool sent;
        if (member is { EmailConfirmed: false })
        {
            sent = await SendConfirmationAsync(member, returnUrl: null, cancellationToken);
        }
        else
        {
            // Same answer and similar token work whether the address is unknown, confirmed or not; while mail is
            // failing, every address hears so, not only those with an account.
            await users.GenerateEmailConfirmationTokenAsync(new Member { Id = Guid.NewGuid().ToString(), SecurityStamp = Guid.NewGuid().ToString() });
            sent = !mail.IsFailing;
        }
        if (!sent)
        {
            return CouldNotSendEmail(Url.Action(nameof(ResendConfirmation), new { email }));
        }
        return View("Message", new AccountMessage(
            "Check your email",
            $"If an account with {email} is waiting for confirmation, we've sent it a new confirmation link."));
    }

    [HttpGet("sign-in")]
    public IActionResult SignIn(string? returnUrl) => View(new SignInForm { ReturnUrl = LocalOrNull(returnUrl) });

    [HttpPost("sign-in")]
    [EnableRateLimiting(RateLimits.SignIn)]
    public async Task<IActionResult> SignIn(SignInForm form)
    {
        form.ReturnUrl = LocalOrNull(form.ReturnUrl);
        if (!ModelState.IsValid)
        {
            return View(form);
        }
        var member = await users.FindByEmailAsync(form.Email.Trim());
        if (member is null)
        {
            // Same message and (hashing) cost whether or not the email is known.
            users.PasswordHasher.HashPassword(new Member(), form.Password);
            return SignInFailed(form, "That email and password don't match an account.");
        }
        var result = await signIn.PasswordSignInAsync(member, form.Password, form.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(form.ReturnUrl ?? "/");
        }
        if (result.RequiresTwoFactor)
        {
            return RedirectToAction("TwoFactor", "TwoFactorSignIn", new { form.ReturnUrl, form.RememberMe });
        }
        if (result.IsLockedOut)
        {
            return SignInFailed(form, "Too many failed attempts: this account is locked for a few minutes. Try again later or reset your password.");
        }
        if (result.IsNotAllowed)
        {
            if (!member.IsBanned)
            {
                ViewData["ResendConfirmationFor"] = form.Email.Trim();
            }
            return SignInFailed(form, member.IsBanned
                ? "This account has been banned from the blog."
                : "Confirm your email address first: follow the link we emailed you.");
        }
        return SignInFailed(form, "That email and password don't match an account.");
    }

    [HttpPost("sign-out")]
    public async Task<IActionResult> SignOutOfBlog()
    {
        await signIn.SignOutAsync();
        return LocalRedirect("/");
    }

    private ViewResult SignInFailed(SignInForm form, string message)
    {
        ModelState.AddModelError("", message);
        form.Password = "";
        return View(nameof(SignIn), form);
    }

    private async Task<bool> SendConfirmationAsync(Member member, string? returnUrl, CancellationToken cancellationToken)
    {
        var code = await users.GenerateEmailConfirmationTokenAsync(member);
        var link = SiteAddress.Absolute(Request, Url.Action(nameof(ConfirmEmail), "Account", new { userId = member.Id, code, returnUrl })!);
        var blog = (await settings.GetAsync(cancellationToken)).Title;
        return await mail.TrySendAsync(member.Email!, $"Confirm your email for {blog}",
            $"""
            Hello {member.DisplayName},

            To finish creating your account on {blog}, confirm your email address by opening this link:

            {link}

            If you didn't create an account, you can ignore this message.
            """, cancellationToken);
    }

    private ViewResult LinkIncomplete() => BadRequestMessage(LinkFailedHeading,
        "That confirmation link isn't valid. Check that you copied the whole link from the email.");

    private ViewResult LinkExpired() => BadRequestMessage(LinkFailedHeading,
        "That confirmation link has expired or isn't valid. Ask for a new one.", "Send a new link", Url.Action(nameof(ResendConfirmation)));

    private void AddErrors(IdentityResult result)
    {
        foreach (var error in result.Errors)
        {
            var field = error.Code switch
            {
                nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName) or nameof(IdentityErrorDescriber.InvalidEmail) => nameof(RegisterForm.Email),
                _ when error.Code.StartsWith("Password", StringComparison.Ordinal) => nameof(RegisterForm.Password),
                _ => "",
            };
            var text = error.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName)
                ? "An account with this email address already exists. Sign in instead, or reset your password."
                : error.Description;
            ModelState.AddModelError(field, text);
        }
    }
}
