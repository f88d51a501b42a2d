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
    MemberSignInManager signIn,
    SiteSettingsStore settings,
    AccountCommands commands,
    MailOutbox outbox,
    TimeProvider clock) : AccountFeatureController
{
    [HttpGet("register")]
    public IActionResult Register(string? returnUrl) => View(new RegisterForm { ReturnUrl = LocalOrNull(returnUrl) });

    /// <summary>
    /// The answer, and the work behind it, are the same whether or not the address already has an account: a new
    /// address gets an account and a confirmation link, a known one a note to its owner (nothing about the account
    /// changes). Either way the mail leaves through the outbox, after the response.
    /// </summary>
    [HttpPost("register")]
    [EnableRateLimiting(RateLimits.Register)]
    public async Task<IActionResult> Register(RegisterForm form, CancellationToken cancellationToken)
    {
        form.ReturnUrl = LocalOrNull(form.ReturnUrl);
        var email = form.Email.Trim();
        var candidate = new Member
        {
            UserName = email,
            Email = email,
            DisplayName = form.DisplayName.Trim(),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        // Checked before anyone looks the address up, so a password rule can never answer differently for a known one.
        if (ModelState.IsValid)
        {
            AddErrors(await PasswordErrorsAsync(candidate, form.Password));
        }
        if (!ModelState.IsValid)
        {
            return View(form);
        }
        var owner = await users.FindByEmailAsync(email);
        if (owner is null)
        {
            var result = await users.CreateAsync(candidate, form.Password);
            if (result.Succeeded)
            {
                await QueueConfirmationAsync(candidate, form.ReturnUrl, cancellationToken);
            }
            else if (IsTaken(result) && await users.FindByEmailAsync(email) is { } winner)
            {
                // Someone registered the address a moment ago: this attempt is one more on a known address.
                await QueueAlreadyRegisteredAsync(winner, cancellationToken);
            }
            else
            {
                AddErrors(result);
                return View(form);
            }
        }
        else
        {
            // The hashing that creating an account costs, so the answer takes as long as for a new address.
            users.PasswordHasher.HashPassword(candidate, form.Password);
            await QueueAlreadyRegisteredAsync(owner, cancellationToken);
        }
        return View("Message", new MessagePage(
            "Check your email",
            $"We sent an email to {email}. Follow the link in it to finish creating your account."));
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
        if (!await commands.ConfirmEmailAsync(member, form.Code, cancellationToken))
        {
            return LinkExpired();
        }
        var signInUrl = Url.Action(nameof(SignIn), new { returnUrl = LocalOrNull(form.ReturnUrl) });
        return View("Message", new MessagePage("Email confirmed", "Your email address is confirmed. You can sign in now.", "Sign in", signInUrl));
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
        if (member is { EmailConfirmed: false })
        {
            await QueueConfirmationAsync(member, returnUrl: null, cancellationToken);
        }
        else
        {
            // Same answer and similar token work whether the address is unknown, confirmed or not.
            await users.GenerateEmailConfirmationTokenAsync(new Member { Id = Guid.NewGuid().ToString(), SecurityStamp = Guid.NewGuid().ToString() });
        }
        return View("Message", new MessagePage(
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
        var email = form.Email.Trim();
        var result = await signIn.PasswordSignInByEmailAsync(email, form.Password, form.RememberMe);
        if (result.Succeeded)
        {
            return LocalRedirect(form.ReturnUrl ?? "/");
        }
        if (result.RequiresTwoFactor)
        {
            return RedirectToAction("TwoFactor", "TwoFactorSignIn", new { form.ReturnUrl, form.RememberMe });
        }
        // Only the right password gets this far (see MemberSignInManager), so its holder may learn why.
        if (result.IsNotAllowed && await users.FindByEmailAsync(email) is { } member)
        {
            if (member.IsBanned)
            {
                return SignInFailed(form, "This account has been banned from the blog.");
            }
            ViewData["ResendConfirmationFor"] = email;
            return SignInFailed(form, "Confirm your email address first: follow the link we emailed you.");
        }
        // An unknown address, a wrong password and a locked account must look alike.
        return SignInFailed(form, SignInMismatch);
    }

    [HttpPost("sign-out")]
    public async Task<IActionResult> SignOutOfBlog()
    {
        await signIn.SignOutAsync();
        return LocalRedirect("/");
    }

    private const string SignInMismatch =
        "That email and password don't match an account. After several wrong passwords in a row an account is locked for a few minutes; \"Forgot your password?\" unlocks it.";

    private ViewResult SignInFailed(SignInForm form, string message)
    {
        ModelState.AddModelError("", message);
        form.Password = "";
        return View(nameof(SignIn), form);
    }

    private async Task QueueConfirmationAsync(Member member, string? returnUrl, CancellationToken cancellationToken)
    {
        var code = await users.GenerateEmailConfirmationTokenAsync(member);
        var link = SiteAddress.Absolute(Request, Url.Action(nameof(ConfirmEmail), "Account", new { userId = member.Id, code, returnUrl })!);
        var blog = (await settings.GetAsync(cancellationToken)).Title;
        await outbox.EnqueueAsync(new OutgoingMail(member.Email!, $"Confirm your email for {blog}",
            $"""
            Hello {member.DisplayName},

            To finish creating your account on {blog}, confirm your email address by opening this link:

            {link}

            If you didn't create an account, you can ignore this message.
            """), cancellationToken);
    }

    /// <summary>What the owner of an address hears when someone tries to register it again: the form itself says nothing.</summary>
    private async Task QueueAlreadyRegisteredAsync(Member owner, CancellationToken cancellationToken)
    {
        var blog = (await settings.GetAsync(cancellationToken)).Title;
        await outbox.EnqueueAsync(new OutgoingMail(owner.Email!, $"Someone tried to register on {blog} with your address",
            $"""
            Hello {owner.DisplayName},

            Someone, perhaps you, tried to create an account on {blog} with this email address. You already have one,
            so no new account was made and yours is unchanged.

            If it was you, sign in with this address instead. If you have forgotten your password, choose
            "Forgot your password?" on the sign-in page to set a new one.

            If it wasn't you, you can ignore this message.
            """), cancellationToken);
    }

    private async Task<IdentityResult> PasswordErrorsAsync(Member candidate, string password)
    {
        var errors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            errors.AddRange((await validator.ValidateAsync(users, candidate, password)).Errors);
        }
        return errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]);
    }

    private static bool IsTaken(IdentityResult result) =>
        result.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName));

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
                nameof(IdentityErrorDescriber.InvalidEmail) or nameof(IdentityErrorDescriber.InvalidUserName) => nameof(RegisterForm.Email),
                _ when error.Code.StartsWith("Password", StringComparison.Ordinal) => nameof(RegisterForm.Password),
                _ => "",
            };
            ModelState.AddModelError(field, error.Description);
        }
    }
}
