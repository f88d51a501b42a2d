using System.Net;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Account;

public sealed class RegisterAndForgotPasswordRateLimitTests : IClassFixture<BlogAppFactory>
{
    private readonly BlogAppFactory _app;

    public RegisterAndForgotPasswordRateLimitTests(BlogAppFactory app)
    {
        app.Settings["Blog:RateLimits:RegisterPerMinute"] = "2";
        app.Settings["Blog:RateLimits:ForgotPasswordPerMinute"] = "2";
        _app = app;
    }

    private async Task<List<HttpStatusCode>> SubmitRepeatedlyAsync(string url, Func<Dictionary<string, string>> fields)
    {
        using var client = new BlogClient(_app);
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var response = await client.SubmitFormAsync(url, fields());
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Contains("Too many attempts", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
            }
        }
        return statuses;
    }

    [Fact]
    public async Task TooManyRegistrationsGetTheTooManyAttemptsPage()
    {
        var statuses = await SubmitRepeatedlyAsync("/account/register", () => new()
        {
            ["DisplayName"] = "Rapid Registrant",
            ["Email"] = $"rapid-{Guid.NewGuid():N}@example.test",
            ["Password"] = BlogClient.Password,
            ["ConfirmPassword"] = BlogClient.Password,
        });

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task TooManyPasswordResetRequestsGetTheTooManyAttemptsPage()
    {
        var statuses = await SubmitRepeatedlyAsync("/account/forgot-password", () => new() { ["Email"] = "someone@example.test" });

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}

/// <summary>The sign-in cookie's flags, as the browser receives them.</summary>
public sealed class AuthCookieTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    internal static async Task<string> SignInCookieAsync(BlogClient client, string email, bool rememberMe)
    {
        var fields = new Dictionary<string, string> { ["Email"] = email, ["Password"] = BlogClient.Password };
        if (rememberMe)
        {
            fields["RememberMe"] = "true";
        }
        using var response = await client.SubmitFormAsync("/account/sign-in", fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single(cookie => cookie.StartsWith(".Quire.Auth=", StringComparison.Ordinal));
    }

    private static bool Has(string cookie, string attribute) =>
        cookie.Split(';', StringSplitOptions.TrimEntries).Any(part => part.StartsWith(attribute, StringComparison.OrdinalIgnoreCase));

    [Fact]
    public async Task OverHttpsTheCookieIsHttpOnlyLaxAndSecure()
    {
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        using var client = new BlogClient(app, new Uri("https://localhost/"));

        var cookie = await SignInCookieAsync(client, member.Email!, rememberMe: false);

        Assert.True(Has(cookie, "httponly"), cookie);
        Assert.True(Has(cookie, "samesite=lax"), cookie);
        Assert.True(Has(cookie, "secure"), cookie);
    }

    [Fact]
    public async Task OverPlainHttpTheCookieIsHttpOnlyAndLaxButCannotBeSecure()
    {
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        using var client = new BlogClient(app);

        var cookie = await SignInCookieAsync(client, member.Email!, rememberMe: false);

        Assert.True(Has(cookie, "httponly"), cookie);
        Assert.True(Has(cookie, "samesite=lax"), cookie);
        Assert.False(Has(cookie, "secure"), cookie);
    }

    [Fact]
    public async Task RememberMeGivesALastingCookieAndWithoutItTheCookieEndsWithTheBrowserSession()
    {
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        using var remembering = new BlogClient(app);
        using var forgetting = new BlogClient(app);

        var lasting = await SignInCookieAsync(remembering, member.Email!, rememberMe: true);
        var session = await SignInCookieAsync(forgetting, member.Email!, rememberMe: false);

        Assert.True(Has(lasting, "expires=") || Has(lasting, "max-age="), lasting);
        Assert.False(Has(session, "expires=") || Has(session, "max-age="), session);
    }
}

/// <summary>Data-protection keys live in the data folder, so a restart does not sign everyone out.</summary>
public sealed class SignInSurvivesRestartTests : IDisposable
{
    private readonly string _dataFolder = TestDataFolder.Create();

    public void Dispose() => TestDataFolder.Delete(_dataFolder);

    [Fact]
    public async Task ACookieIssuedBeforeARestartStillSignsIn()
    {
        string cookie;
        await using (var before = new BlogAppFactory(_dataFolder))
        {
            var member = await BlogClient.CreateAccountAsync(before, MemberRole.Member, displayName: "Rita Restart");
            using var client = new BlogClient(before);
            cookie = (await AuthCookieTests.SignInCookieAsync(client, member.Email!, rememberMe: true)).Split(';')[0];
        }

        await using var after = new BlogAppFactory(_dataFolder);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", cookie);
        using var http = after.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        using var response = await http.SendAsync(request);
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Rita Restart", page.QuerySelector(".signed-in-as")?.TextContent ?? "(not signed in)", StringComparison.Ordinal);
    }
}
