using System.Net;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Account;

public sealed class AccountAccessTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    public static TheoryData<string> SignedInPosts => new()
    {
        "/account/display-name",
        "/account/password",
        "/account/email",
        "/account/data",
        "/account/delete",
        "/account/two-factor/start",
        "/account/two-factor/enable",
        "/account/two-factor/recovery-codes",
        "/account/two-factor/disable",
        "/account/two-factor/reset-key",
    };

    [Theory]
    [InlineData("/account")]
    [InlineData("/account/display-name")]
    [InlineData("/account/password")]
    [InlineData("/account/email")]
    [InlineData("/account/two-factor")]
    [InlineData("/account/two-factor/disable")]
    [InlineData("/account/two-factor/reset-key")]
    [InlineData("/account/data")]
    [InlineData("/account/delete")]
    public async Task AccountPagesRedirectAnonymousVisitorsToSignIn(string path)
    {
        using var client = new BlogClient(app);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in?ReturnUrl=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SignedInPosts))]
    public async Task AnonymousPostsRedirectToSignIn(string path)
    {
        using var client = new BlogClient(app);

        using var response = await client.PostAsync(path, new Dictionary<string, string> { ["DisplayName"] = "x" }, "/account/sign-in");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/sign-in", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SignedInPosts))]
    [InlineData("/account/forgot-password")]
    [InlineData("/account/reset-password")]
    [InlineData("/account/resend-confirmation")]
    [InlineData("/account/confirm-email")]
    [InlineData("/account/confirm-email-change")]
    [InlineData("/account/sign-in/two-factor")]
    [InlineData("/account/sign-in/recovery-code")]
    public async Task PostsWithoutAnAntiforgeryTokenAreRejected(string path)
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var _ = client;

        using var response = await client.Http.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["DisplayName"] = "Changed",
            ["Email"] = member.Email!,
            ["Password"] = BlogClient.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(await client.GetPageAsync("/account"));
    }

    [Fact]
    public async Task TwoFactorStepWithoutAPasswordStepGoesBackToSignIn()
    {
        using var client = new BlogClient(app);

        using var code = await client.GetAsync("/account/sign-in/two-factor");
        using var recovery = await client.GetAsync("/account/sign-in/recovery-code");

        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        Assert.StartsWith("/account/sign-in", code.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, recovery.StatusCode);
    }
}
