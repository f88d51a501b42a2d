using Blog.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Blog.Web.Tests.Hosting;

/// <summary>Logs are read by more people than the database is: secrets must never reach them.</summary>
public sealed class LoggingTests : IDisposable
{
    private readonly CapturedLogs _logs = new();
    private readonly BlogAppFactory _app;

    public LoggingTests()
    {
        _app = new BlogAppFactory();
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
        using var client = new BlogClient(_app);

        using var _ = await client.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["DisplayName"] = "Scoped Person",
            ["Email"] = "scoped.person@example.test",
            ["Password"] = "long-enough-password-1",
            ["ConfirmPassword"] = "long-enough-password-1",
        });

        // The confirmation mail is written during the POST: its line names the request (the host's own scope is off).
        var mailLine = Assert.Single(_logs.Lines, line => line.Contains("to the mail folder", StringComparison.Ordinal));
        Assert.Contains("RequestPath:/account/register RequestId:", mailLine, StringComparison.Ordinal);
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
