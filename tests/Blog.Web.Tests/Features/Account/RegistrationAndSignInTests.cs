using System.Net;
using Blog.Web.Features.Settings;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Account;

public sealed class RegistrationAndSignInTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    private static Dictionary<string, string> Registration(string email, string password = BlogClient.Password) => new()
    {
        ["DisplayName"] = "Grace Hopper",
        ["Email"] = email,
        ["Password"] = password,
        ["ConfirmPassword"] = password,
    };

    private static string NewEmail() => $"reader-{Guid.NewGuid():N}@example.test";

    [Fact]
    public async Task RegisterConfirmFromTheMailFolderAndSignIn()
    {
        using var client = new BlogClient(app);
        var email = NewEmail();

        using var registered = await client.SubmitFormAsync("/account/register", Registration(email));
        var confirmLink = Mailbox.LinkInLastMessageTo(app, email, "/account/confirm-email");
        using var confirmed = await client.SubmitFormAsync(confirmLink, new Dictionary<string, string>());
        await client.SignInAsync(email);
        var home = await client.GetPageAsync("/");

        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        Assert.Contains("Check your email", await BlogClient.TextOfAsync(registered), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("Signed in as", home.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Grace Hopper", home.QuerySelector(".signed-in-as")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnconfirmedAccountCannotSignIn()
    {
        using var client = new BlogClient(app);
        var email = NewEmail();
        using var _ = await client.SubmitFormAsync("/account/register", Registration(email));

        using var response = await client.SubmitFormAsync("/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = BlogClient.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Confirm your email address first", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidRegistrationKeepsWhatWasTypedExceptPasswords()
    {
        using var client = new BlogClient(app);

        using var response = await client.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["DisplayName"] = "Keep <me>",
            ["Email"] = "not-an-email",
            ["Password"] = "short",
            ["ConfirmPassword"] = "different",
        });
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Keep <me>", page.QuerySelector("input[name=DisplayName]")!.GetAttribute("value"));
        Assert.Equal("not-an-email", page.QuerySelector("input[name=Email]")!.GetAttribute("value"));
        Assert.True(string.IsNullOrEmpty(page.QuerySelector("input[name=Password]")!.GetAttribute("value")));
        Assert.Contains("doesn't look like an email", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("at least 10 characters", page.Body.TextContent, StringComparison.Ordinal);
        Assert.Contains("don't match", page.Body.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPasswordAndUnknownEmailGetTheSameAnswer()
    {
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        using var client = new BlogClient(app);

        using var wrongPassword = await client.SubmitFormAsync("/account/sign-in", new Dictionary<string, string> { ["Email"] = member.Email!, ["Password"] = "wrong password here" });
        using var unknownEmail = await client.SubmitFormAsync("/account/sign-in", new Dictionary<string, string> { ["Email"] = NewEmail(), ["Password"] = "wrong password here" });

        var message = "That email and password don't match an account.";
        Assert.Contains(message, await BlogClient.TextOfAsync(wrongPassword), StringComparison.Ordinal);
        Assert.Contains(message, await BlogClient.TextOfAsync(unknownEmail), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountEvenForTheRightOne()
    {
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        using var client = new BlogClient(app);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var _ = await client.SubmitFormAsync("/account/sign-in", new Dictionary<string, string> { ["Email"] = member.Email!, ["Password"] = "wrong password here" });
        }

        using var rightPassword = await client.SubmitFormAsync("/account/sign-in", new Dictionary<string, string> { ["Email"] = member.Email!, ["Password"] = BlogClient.Password });

        Assert.Equal(HttpStatusCode.OK, rightPassword.StatusCode);
        Assert.Contains("locked", await BlogClient.TextOfAsync(rightPassword), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInReturnsToTheLocalPageItCameFromButNeverOffSite()
    {
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        using var local = new BlogClient(app);
        using var offsite = new BlogClient(app);

        using var toLocal = await local.SubmitFormAsync("/account/sign-in?returnUrl=%2F2026%2F01%2Fhello", new Dictionary<string, string> { ["Email"] = member.Email!, ["Password"] = BlogClient.Password });
        using var toEvil = await offsite.SubmitFormAsync("/account/sign-in?returnUrl=https%3A%2F%2Fevil.example%2F", new Dictionary<string, string> { ["Email"] = member.Email!, ["Password"] = BlogClient.Password });

        Assert.Equal("/2026/01/hello", toLocal.Headers.Location!.OriginalString);
        Assert.Equal("/", toEvil.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignOutIsAPostAndEndsTheSession()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var __ = client;

        using var viaGet = await client.GetAsync("/account/sign-out");
        using var viaPost = await client.SubmitFormAsync("/", new Dictionary<string, string>(), "form[action='/account/sign-out']");
        var home = await client.GetPageAsync("/");

        Assert.NotEqual(HttpStatusCode.OK, viaGet.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, viaPost.StatusCode);
        Assert.Null(home.QuerySelector(".signed-in-as"));
    }

    [Fact]
    public async Task ChangingTheSecurityStampEndsExistingSessionsOnTheNextRequest()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var _ = client;
        Assert.NotNull((await client.GetPageAsync("/")).QuerySelector(".signed-in-as"));

        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<Member>>();
            await users.UpdateSecurityStampAsync((await users.FindByIdAsync(member.Id))!);
        }

        Assert.Null((await client.GetPageAsync("/")).QuerySelector(".signed-in-as"));
    }

    [Fact]
    public async Task PostWithoutAntiforgeryTokenIsRejected()
    {
        using var client = new BlogClient(app);

        using var response = await client.Http.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "someone@example.test",
            ["Password"] = BlogClient.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

public sealed class OpenMembershipTests : IClassFixture<BlogAppFactory>
{
    private readonly BlogAppFactory _app;

    public OpenMembershipTests(BlogAppFactory app)
    {
        _app = app;
        var store = app.Services.GetRequiredService<SiteSettingsStore>();
        store.SaveAsync(store.GetAsync().GetAwaiter().GetResult() with { MembershipMode = MembershipMode.Open }).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task InOpenModeConfirmingTheEmailMakesYouAMember()
    {
        using var client = new BlogClient(_app);
        var email = $"open-{Guid.NewGuid():N}@example.test";
        using var _ = await client.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["DisplayName"] = "Open Door",
            ["Email"] = email,
            ["Password"] = BlogClient.Password,
            ["ConfirmPassword"] = BlogClient.Password,
        });
        using var users = _app.Services.CreateScope();
        var userManager = users.ServiceProvider.GetRequiredService<UserManager<Member>>();
        Assert.Equal(MemberRole.Reader, (await userManager.FindByEmailAsync(email))!.Role);

        using var __ = await client.SubmitFormAsync(Mailbox.LinkInLastMessageTo(_app, email, "/account/confirm-email"), new Dictionary<string, string>());

        Assert.Equal(MemberRole.Member, (await userManager.FindByEmailAsync(email))!.Role);
    }
}

public sealed class AuthRateLimitTests : IClassFixture<BlogAppFactory>
{
    private readonly BlogAppFactory _app;

    public AuthRateLimitTests(BlogAppFactory app)
    {
        app.Settings["Blog:RateLimits:SignInPerMinute"] = "3";
        _app = app;
    }

    [Fact]
    public async Task TooManySignInAttemptsGetAFriendlyTooManyAttemptsPage()
    {
        using var client = new BlogClient(_app);
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            using var response = await client.SubmitFormAsync("/account/sign-in", new Dictionary<string, string> { ["Email"] = "nobody@example.test", ["Password"] = "whatever it is" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Contains("Too many attempts", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
