using System.Net;
using System.Text.RegularExpressions;
using System.Web;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Blog.Web.Tests.Features.Account;
using Blog.Web.Tests.Features.Members;
using Blog.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Blog.Web.Tests.Hosting;

/// <summary>Logs are read by more people than the database is: secrets must never reach them.</summary>
public sealed partial class LoggingTests : IDisposable
{
    private readonly CapturedLogs _logs = new();
    private readonly FailingOnRequestAppFactory _app;

    public LoggingTests()
    {
        _app = new FailingOnRequestAppFactory();
        // The shipped levels for the framework, and everything the blog itself logs down to Trace: the blog's
        // own code must never log a secret at any level. (Framework Debug logs, e.g. routing's link generation,
        // do echo URL values; they are for local debugging only.)
        _app.Settings["Logging:LogLevel:Blog"] = "Trace";
        _app.Settings["Logging:LogLevel:Quire"] = "Trace";
        _app.Settings["Logging:LogLevel:Quire.Requests"] = "Trace";
        _app.ConfigureLogging = logging => logging.AddProvider(_logs);
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task RegisteringConfirmingAndSigningInLogNoPasswordTokenCookieOrFullEmail()
    {
        using var client = new BlogClient(_app);
        const string email = "secret.person@example.test";
        const string password = "hunter2-but-longer-than-ten";

        using var _ = await client.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["DisplayName"] = "Secret Person",
            ["Email"] = email,
            ["Password"] = password,
            ["ConfirmPassword"] = password,
        });
        var confirmLink = Mailbox.LinkInLastMessageTo(_app, email, "/account/confirm-email");
        using var __ = await client.SubmitFormAsync(confirmLink, new Dictionary<string, string>());
        await client.SignInAsync(email, password);
        using var ___ = await client.SubmitFormAsync("/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = "wrong-" + password });
        var cookies = client.Http.DefaultRequestHeaders.Contains("Cookie") ? client.Http.DefaultRequestHeaders.GetValues("Cookie") : [];
        var token = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + confirmLink).Query)["code"]!;

        var everything = string.Join("\n", _logs.Lines);
        Assert.NotEmpty(_logs.Lines);
        Assert.DoesNotContain(password, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(email, everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(token, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(token), everything, StringComparison.Ordinal);
        Assert.DoesNotContain(".Quire.Auth=", everything, StringComparison.Ordinal);
        foreach (var cookie in cookies)
        {
            Assert.DoesNotContain(cookie, everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RequestLogsCarryARequestId()
    {
        using var client = _app.CreateClient();

        using var _ = await client.GetAsync("/no-such-page");

        Assert.Contains(_logs.Lines, line => line.Contains("/no-such-page", StringComparison.Ordinal) && line.Contains("RequestId:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhatTheBlogLogsWhileHandlingARequestCarriesThatRequestsId()
    {
        var (client, _) = await BlogClient.SignedInAsync(_app, Blog.Web.Identity.MemberRole.Member);
        using var signedIn = client;

        using var changed = await client.SubmitFormAsync("/account/email", new Dictionary<string, string>
        {
            ["NewEmail"] = "scoped.person@example.test",
            ["CurrentPassword"] = BlogClient.Password,
        });

        // The new address's confirmation is written during the POST (registration's mail leaves through the outbox,
        // after the request): its line names the request (the host's own scope is off).
        var mailLine = Assert.Single(_logs.Lines, line => line.Contains("to the mail folder", StringComparison.Ordinal));
        Assert.Contains("RequestPath:/account/email RequestId:", mailLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTokensOfEmailedAndSetupLinksStayOutOfTheLogsWhileTheirPathsAreLogged()
    {
        using var visitor = new BlogClient(_app);
        var setupToken = SetupLinkToken().Match(string.Join("\n", _logs.Lines)).Groups[1].Value;
        using var setup = await visitor.GetAsync($"/setup?token={setupToken}");
        var owner = await BlogClient.CreateAccountAsync(_app, MemberRole.Owner);
        var (member, account) = await BlogClient.SignedInAsync(_app, MemberRole.Member);
        using var _ = member;
        var (_, confirm) = await ConfirmEmailTests.RegisterAsync(_app, visitor);
        using var resetAsked = await visitor.SubmitFormAsync("/account/forgot-password", new Dictionary<string, string> { ["Email"] = account.Email! });
        var reset = Mailbox.LinkInLastMessageTo(_app, account.Email!, "/account/reset-password");
        using var changeAsked = await member.SubmitFormAsync("/account/email", new Dictionary<string, string> { ["NewEmail"] = "moved@example.test", ["CurrentPassword"] = BlogClient.Password });
        var changeEmail = Mailbox.LinkInLastMessageTo(_app, "moved@example.test", "/account/confirm-email-change");
        var postId = await CommentTestData.CreatePostAsync(_app, DateTime.UtcNow.AddHours(-1), owner.Id);
        var parent = await CommentTestData.CommentIdAsync(member, postId, "Tell me about replies", emailReplies: true);
        var (replier, _) = await BlogClient.SignedInAsync(_app, MemberRole.Member);
        using var __ = replier;
        await CommentTestData.CommentIdAsync(replier, postId, "A reply", parentId: parent);
        var unsubscribe = Mailbox.LinkInLastMessageTo(_app, account.Email!, "/comments/unsubscribe");

        var visits = new List<HttpResponseMessage>();
        foreach (var link in new[] { confirm, reset, changeEmail, unsubscribe })
        {
            visits.Add(await visitor.GetAsync(link));
        }
        var emailedSecrets = new[] { Query(confirm, "code"), Query(reset, "code"), Query(changeEmail, "code"), Query(unsubscribe, "token") };

        Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
        Assert.All(visits, visit => Assert.Equal(HttpStatusCode.OK, visit.StatusCode));
        // The setup link is printed once at startup, on purpose: that is how the owner gets it.
        Assert.Single(_logs.Lines, line => line.Contains(setupToken, StringComparison.Ordinal));
        Assert.All(emailedSecrets, AssertNotLogged);
        foreach (var path in new[] { "/setup", "/account/confirm-email", "/account/reset-password", "/account/confirm-email-change", "/comments/unsubscribe" })
        {
            Assert.Contains(_logs.Lines, line => line.Contains($"GET {path} answered 200", StringComparison.Ordinal));
        }
        visits.ForEach(visit => visit.Dispose());
    }

    [Fact]
    public async Task AnInvitationsTokenIsLoggedAsRedactedInItsPathEvenWhenTheRequestFails()
    {
        var (owner, _) = await BlogClient.SignedInAsync(_app, MemberRole.Owner);
        using var _ = owner;
        var link = await OwnerActions.CreateInvitationAsync(owner);
        var token = link.Split('/')[^1];
        var (reader, _) = await BlogClient.SignedInAsync(_app, MemberRole.Reader);
        using var __ = reader;

        using var page = await reader.GetAsync(link);
        using var accepted = await reader.SubmitFormAsync(link, new Dictionary<string, string>());
        using var shouted = await reader.GetAsync(link.ToUpperInvariant());
        reader.Http.DefaultRequestHeaders.Add(FailingOnRequestAppFactory.FailHeader, "yes");
        using var failed = await reader.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        AssertNotLogged(token);
        AssertNotLogged(token.ToUpperInvariant());
        Assert.Contains(_logs.Lines, line => line.Contains("GET /invitations/[redacted] answered 200", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, line => line.Contains("POST /invitations/[redacted]/accept answered 302", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, line => line.Contains("GET /INVITATIONS/[redacted] answered", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, line => line.Contains("About to fail", StringComparison.Ordinal)
            && line.Contains("RequestPath:/invitations/[redacted]", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal)
            && line.Contains("Unhandled error on /invitations/[redacted]", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryRouteWithASecretInItsPathHasItRedacted()
    {
        var endpoints = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        var withSecrets = endpoints.Select(endpoint => endpoint.RoutePattern)
            .Where(pattern => pattern.Parameters.Any(IsSecret))
            .ToList();

        Assert.NotEmpty(withSecrets);
        Assert.All(withSecrets, pattern =>
        {
            var path = "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                RoutePatternLiteralPart literal => literal.Content,
                RoutePatternParameterPart parameter => IsSecret(parameter) ? "SECRET-VALUE" : "1",
                _ => "",
            }))));
            Assert.DoesNotContain("SECRET-VALUE", RequestLogging.Redact(path), StringComparison.Ordinal);
        });
    }

    private static bool IsSecret(RoutePatternParameterPart parameter) =>
        parameter.Name.EndsWith("token", StringComparison.OrdinalIgnoreCase) || parameter.Name.Equals("code", StringComparison.OrdinalIgnoreCase);

    private static string Query(string link, string name) => HttpUtility.ParseQueryString(new Uri("http://x" + link).Query)[name]!;

    private void AssertNotLogged(string secret)
    {
        Assert.False(string.IsNullOrEmpty(secret));
        var everything = string.Join("\n", _logs.Lines);
        Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(secret), everything, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"/setup\?token=(\S+)")]
    private static partial Regex SetupLinkToken();

    /// <summary>
    /// The blog, with an action filter that logs a warning and throws when a request carries <see cref="FailHeader"/>: a
    /// failure on any page.
    /// </summary>
    private sealed class FailingOnRequestAppFactory : BlogAppFactory
    {
        public const string FailHeader = "X-Test-Fail";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.Configure<MvcOptions>(options => options.Filters.Add(new FailWhenAsked())));
        }

        private sealed class FailWhenAsked : IActionFilter
        {
            public void OnActionExecuting(ActionExecutingContext context)
            {
                // The error page, run for the failed request (with its headers), must not fail in turn.
                if (context.HttpContext.Request.Headers.ContainsKey(FailHeader) && context.HttpContext.Features.Get<IExceptionHandlerFeature>() is null)
                {
                    // Something logged while the request is handled, as the blog's own code would: it carries the request's scope.
                    context.HttpContext.RequestServices.GetRequiredService<ILogger<FailWhenAsked>>().LogWarning("About to fail as the test asked");
                    throw new InvalidOperationException("Failing as the test asked.");
                }
            }

            public void OnActionExecuted(ActionExecutedContext context)
            {
            }
        }
    }

    [Fact]
    public async Task ThePostgreSqlDriverLogsOnlyItsWarningsAndErrorsAsShipped()
    {
        // At Information, Npgsql writes a line for every statement it runs: several per request on PostgreSQL.
        var logs = new CapturedLogs();
        using var app = new BlogAppFactory { ConfigureLogging = logging => logging.AddProvider(logs) };
        using var client = app.CreateClient();

        using var _ = await client.GetAsync("/search?q=harbour");
        var driver = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Npgsql.Command");

        Assert.False(driver.IsEnabled(LogLevel.Information));
        Assert.True(driver.IsEnabled(LogLevel.Warning));
        Assert.DoesNotContain(logs.Lines, line => line.StartsWith("Information Npgsql", StringComparison.Ordinal) || line.StartsWith("Debug Npgsql", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("Information", true)]
    public async Task TheRequestLineIsOffAsShippedAndOneSettingTurnsItOn(string? level, bool logged)
    {
        var logs = new CapturedLogs();
        using var app = new BlogAppFactory { ConfigureLogging = logging => logging.AddProvider(logs) };
        if (level is not null)
        {
            app.Settings["Logging:LogLevel:Quire.Requests"] = level;
        }
        using var client = app.CreateClient();

        using var _ = await client.GetAsync("/no-such-page");

        Assert.Equal(logged, logs.Lines.Any(line => line.Contains(Blog.Web.Hosting.RequestLogging.Category + ":", StringComparison.Ordinal)));
    }
}
