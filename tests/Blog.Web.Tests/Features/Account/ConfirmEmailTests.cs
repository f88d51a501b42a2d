using System.Net;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Account;

/// <summary>The emailed confirmation link opens a page with a button; only pressing it (a POST) confirms.</summary>
public sealed class ConfirmEmailTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    internal static async Task<(string Email, string Link)> RegisterAsync(BlogAppFactory app, BlogClient client)
    {
        var email = $"confirm-{Guid.NewGuid():N}@example.test";
        using var registered = await client.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["DisplayName"] = "Cora Confirm",
            ["Email"] = email,
            ["Password"] = BlogClient.Password,
            ["ConfirmPassword"] = BlogClient.Password,
        });
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        return (email, Mailbox.LinkInLastMessageTo(app, email, "/account/confirm-email"));
    }

    internal static bool IsConfirmed(BlogAppFactory app, string email)
    {
        using var db = app.OpenDatabase();
        return db.ExecuteScalar<bool>("SELECT email_confirmed FROM members WHERE email = @Email;", new { Email = email });
    }

    [Fact]
    public async Task FollowingTheLinkChangesNothingUntilTheButtonIsPressed()
    {
        using var client = new BlogClient(app);
        var (email, link) = await RegisterAsync(app, client);

        var page = await client.GetPageAsync(link);
        var confirmedByFollowing = IsConfirmed(app, email);
        using var pressed = await client.SubmitFormAsync(link, new Dictionary<string, string>());

        Assert.NotNull(page.QuerySelector("main form[method=post] button[type=submit]"));
        Assert.NotNull(page.QuerySelector("main form input[name=__RequestVerificationToken]"));
        Assert.False(confirmedByFollowing);
        Assert.Equal(HttpStatusCode.OK, pressed.StatusCode);
        Assert.Contains("Email confirmed", await BlogClient.TextOfAsync(pressed), StringComparison.Ordinal);
        Assert.True(IsConfirmed(app, email));
    }

    [Fact]
    public async Task AForgedLinkIsRefusedWithAFriendlyMessage()
    {
        using var client = new BlogClient(app);
        var (email, link) = await RegisterAsync(app, client);
        var userId = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + link).Query)["userId"]!;
        var forged = $"/account/confirm-email?userId={userId}&code=Q2ZESjhGb3JnZWRUb2tlbg";

        using var followed = await client.GetAsync(forged);
        using var posted = await client.PostAsync("/account/confirm-email",
            new Dictionary<string, string> { ["UserId"] = userId, ["Code"] = "Q2ZESjhGb3JnZWRUb2tlbg" }, "/account/sign-in");

        Assert.Equal(HttpStatusCode.BadRequest, followed.StatusCode);
        Assert.Contains("expired or isn't valid", await BlogClient.TextOfAsync(followed), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Contains("expired or isn't valid", await BlogClient.TextOfAsync(posted), StringComparison.Ordinal);
        Assert.False(IsConfirmed(app, email));
    }

    [Theory]
    [InlineData("/account/confirm-email")]
    [InlineData("/account/confirm-email?userId=nobody&code=abc")]
    [InlineData("/account/confirm-email?code=abc")]
    public async Task AnIncompleteOrUnknownLinkIsA400WithAMessage(string url)
    {
        using var client = new BlogClient(app);

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("link", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
    }
}

/// <summary>Identity's tokens here last a moment, so a link is already stale when it is followed.</summary>
public sealed class ShortLivedTokensAppFactory : BlogAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
            services.Configure<DataProtectionTokenProviderOptions>(options => options.TokenLifespan = TimeSpan.FromMilliseconds(1)));
    }
}

public sealed class ExpiredConfirmEmailTests(ShortLivedTokensAppFactory app) : IClassFixture<ShortLivedTokensAppFactory>
{
    [Fact]
    public async Task AnExpiredLinkIsRefusedWithAFriendlyMessageAndAWayToGetANewOne()
    {
        using var client = new BlogClient(app);
        var (email, link) = await ConfirmEmailTests.RegisterAsync(app, client);
        await Task.Delay(20);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + link).Query);

        using var followed = await client.GetAsync(link);
        using var posted = await client.PostAsync("/account/confirm-email",
            new Dictionary<string, string> { ["UserId"] = query["userId"]!, ["Code"] = query["code"]! }, "/account/sign-in");
        var page = BlogClient.Parse(await posted.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, followed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Contains("has expired", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("main a[href='/account/resend-confirmation']"));
        Assert.False(ConfirmEmailTests.IsConfirmed(app, email));
    }
}
