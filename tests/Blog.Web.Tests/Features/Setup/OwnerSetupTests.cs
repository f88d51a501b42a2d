using System.Net;
using System.Text.RegularExpressions;
using Blog.Web.Features.Setup;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Blog.Web.Tests.Features.Setup;

/// <summary>Each test gets a brand-new blog, since creating the owner cannot be undone.</summary>
public sealed partial class OwnerSetupTests
{
    [GeneratedRegex(@"/setup\?token=([A-Za-z0-9_-]+)")]
    private static partial Regex SetupLink();

    private static Dictionary<string, string> OwnerForm(string email = "owner@example.test") => new()
    {
        ["DisplayName"] = "Ada Owner",
        ["Email"] = email,
        ["Password"] = BlogClient.Password,
        ["ConfirmPassword"] = BlogClient.Password,
    };

    private static string TokenFromLog(LoggingAppFactory app)
    {
        _ = app.Services;
        var message = app.Logs.WaitFor(m => SetupLink().IsMatch(m))
            ?? throw new InvalidOperationException("No setup link was logged:\n" + string.Join("\n", app.Logs.Lines));
        return SetupLink().Match(message).Groups[1].Value;
    }

    private static long OwnerCount(BlogAppFactory app)
    {
        using var db = app.OpenDatabase();
        return db.ExecuteScalar<long>("SELECT COUNT(*) FROM members WHERE role = 'owner';");
    }

    [Fact]
    public async Task StartupLogsASetupLinkThatCreatesTheSignedInOwner()
    {
        using var app = new LoggingAppFactory();
        var token = TokenFromLog(app);
        using var client = new BlogClient(app);

        using var response = await client.SubmitFormAsync($"/setup?token={token}", OwnerForm());
        using var members = await client.GetAsync("/admin/members");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Your blog is ready", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, members.StatusCode);
        using var db = app.OpenDatabase();
        var owner = db.QuerySingle<(string Role, long EmailConfirmed)>("SELECT role, email_confirmed FROM members WHERE email = 'owner@example.test';");
        Assert.Equal("owner", owner.Role);
        Assert.Equal(1, owner.EmailConfirmed);
        Assert.Contains(app.Logs.Lines, m => Regex.IsMatch(m, @"https?://[^/\s]+/setup\?token=" + token));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-the-token")]
    public async Task WrongTokenIsRefusedAndNothingIsStored(string token)
    {
        using var app = new LoggingAppFactory();
        var realToken = TokenFromLog(app);
        using var client = new BlogClient(app);
        using var page = await client.GetAsync($"/setup?token={token}");

        var form = OwnerForm();
        form["Token"] = token;
        using var post = await client.PostAsync("/setup", form, "/account/sign-in");

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("setup link isn't valid", await BlogClient.TextOfAsync(page), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(0, OwnerCount(app));
        Assert.NotEqual(token, realToken);
    }

    [Fact]
    public async Task InvalidFormIsShownAgainWithTheTokenStillUsable()
    {
        using var app = new LoggingAppFactory();
        var token = TokenFromLog(app);
        using var client = new BlogClient(app);

        var form = OwnerForm("not-an-email");
        form["ConfirmPassword"] = "something else";
        using var invalid = await client.SubmitFormAsync($"/setup?token={token}", form);
        var page = BlogClient.Parse(await invalid.Content.ReadAsStringAsync());
        using var valid = await client.SubmitFormAsync($"/setup?token={token}", OwnerForm());

        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        Assert.Equal("not-an-email", page.QuerySelector("input[name=Email]")!.GetAttribute("value"));
        Assert.Contains("don't match", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Equal(1, OwnerCount(app));
    }

    [Fact]
    public async Task ReusedTokenIsRefusedAndSetupIsGoneOnceAnOwnerExists()
    {
        using var app = new LoggingAppFactory();
        var token = TokenFromLog(app);
        using var first = new BlogClient(app);
        using var second = new BlogClient(app);
        using var created = await first.SubmitFormAsync($"/setup?token={token}", OwnerForm());

        var again = OwnerForm("someone-else@example.test");
        again["Token"] = token;
        using var reused = await second.PostAsync("/setup", again, "/account/sign-in");
        using var page = await second.GetAsync($"/setup?token={token}");
        using var bare = await second.GetAsync("/setup");

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, reused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, bare.StatusCode);
        Assert.Equal(1, OwnerCount(app));
    }

    [Fact]
    public async Task TwoSimultaneousSetupsWithTheTokenCreateOneOwner()
    {
        using var app = new LoggingAppFactory();
        var token = TokenFromLog(app);
        var clients = Enumerable.Range(0, 4).Select(_ => new BlogClient(app)).ToList();

        // Every visitor has the form open before any sends it; loading and sending in one go let a fast first
        // owner make the others' page loads (rather than their submissions) the thing refused.
        var forms = await Task.WhenAll(clients.Select((client, i) =>
            client.FillFormAsync($"/setup?token={token}", OwnerForm($"owner{i}@example.test"))));
        var responses = await Task.WhenAll(clients.Select((client, i) =>
            client.Http.PostAsync(forms[i].Action, forms[i].Content)));

        Assert.Equal(1, OwnerCount(app));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK),
            r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound }));
        foreach (var response in responses)
        {
            response.Dispose();
        }
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task TwoInstancesStartingTogetherShareOneLinkThatWorksOnEither()
    {
        var folder = TestDataFolder.Create();
        // The first cleans the folder up, after the second is gone (disposal runs in reverse).
        using var first = new LoggingAppFactory(folder, ownsDataFolder: true);
        using var second = new LoggingAppFactory(folder, ownsDataFolder: false);
        var token = TokenFromLog(first);
        _ = second.Services;
        var told = second.Logs.WaitFor(m => m.Contains("Another start of the blog issued the setup link", StringComparison.Ordinal));
        using var onSecond = new BlogClient(second);
        using var onFirst = new BlogClient(first);

        using var created = await onSecond.SubmitFormAsync($"/setup?token={token}", OwnerForm());
        var again = OwnerForm("someone-else@example.test");
        again["Token"] = token;
        using var reusedOnFirst = await onFirst.PostAsync("/setup", again, "/account/sign-in");

        Assert.NotNull(told);
        Assert.DoesNotContain(second.Logs.Lines, m => SetupLink().IsMatch(m));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, reusedOnFirst.StatusCode);
        Assert.Equal(1, OwnerCount(first));
        using var db = first.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM setup_links"));
    }

    [Fact]
    public async Task ARedeemingSetupHoldsTheLinkSoASecondOneIsRefusedUntilTheFirstFails()
    {
        using var app = new LoggingAppFactory();
        var token = TokenFromLog(app);
        var setupLink = app.Services.GetRequiredService<SetupToken>();
        var attempting = new TaskCompletionSource();
        var finish = new TaskCompletionSource<Microsoft.AspNetCore.Identity.IdentityResult>();

        var first = setupLink.RedeemAsync(token, () => { attempting.SetResult(); return finish.Task; }, CancellationToken.None);
        await attempting.Task;
        var whileHeld = await setupLink.RedeemAsync(token, () => throw new InvalidOperationException("must not run"), CancellationToken.None);
        finish.SetResult(Microsoft.AspNetCore.Identity.IdentityResult.Failed(new Microsoft.AspNetCore.Identity.IdentityError { Code = "PasswordTooShort" }));
        var failed = await first;
        var afterwards = await setupLink.MatchesAsync(token, CancellationToken.None);

        Assert.Null(whileHeld);
        Assert.False(failed!.Succeeded);
        Assert.True(afterwards);
    }

    [Fact]
    public async Task AStartLongAfterTheLinkWasIssuedReplacesIt()
    {
        using var app = new LoggingAppFactory();
        var old = TokenFromLog(app);
        var setupLink = app.Services.GetRequiredService<SetupToken>();

        var kept = await setupLink.IssueAsync(SetupToken.KeptForInstancesStartingTogether, CancellationToken.None);
        var replaced = await setupLink.IssueAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Null(kept.Token);
        Assert.NotNull(replaced.Token);
        Assert.False(await setupLink.MatchesAsync(old, CancellationToken.None));
        Assert.True(await setupLink.MatchesAsync(replaced.Token, CancellationToken.None));
    }

    /// <summary>A data folder whose blog already has an owner, for an app started on it as after a restart.</summary>
    private static async Task<string> FolderWithAnOwnerAsync()
    {
        var folder = TestDataFolder.Create();
        await using var seeded = new BlogAppFactory(folder);
        await BlogClient.CreateAccountAsync(seeded, Blog.Web.Identity.MemberRole.Owner);
        return folder;
    }

    [Fact]
    public async Task NoSetupTokenIsIssuedWhenAnOwnerAlreadyExists()
    {
        using var restarted = new LoggingAppFactory(await FolderWithAnOwnerAsync());

        _ = restarted.Services;
        var token = restarted.Services.GetRequiredService<SetupToken>();

        Assert.DoesNotContain(restarted.Logs.Lines, m => SetupLink().IsMatch(m));
        Assert.False(await token.MatchesAsync("anything", CancellationToken.None));
    }

    [Fact]
    public async Task SetupRecordsTheAddressTheOwnerOpenedItAtAndSettingsShowIt()
    {
        using var app = new LoggingAppFactory { Settings = { ["Blog:BaseUrl"] = "" } };
        var token = TokenFromLog(app);
        using var owner = new BlogClient(app, new Uri("https://Blog.Example.test:8443/"));

        using var response = await owner.SubmitFormAsync($"/setup?token={token}", OwnerForm());
        var settings = await owner.GetPageAsync("/admin/settings");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("use the address https://blog.example.test:8443", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
        Assert.Equal("https://blog.example.test:8443", settings.QuerySelector("input[name=BaseUrl]")!.GetAttribute("value"));
        using var db = app.OpenDatabase();
        Assert.Equal("https://blog.example.test:8443", db.ExecuteScalar<string>("SELECT value FROM site_settings WHERE key = 'BaseUrl';"));
    }

    [Fact]
    public async Task WithBlogBaseUrlTheSetupLinkUsesItAndNoAddressIsRecorded()
    {
        using var app = new LoggingAppFactory { Settings = { ["Blog:BaseUrl"] = "https://configured.example.test" } };
        var token = TokenFromLog(app);
        using var owner = new BlogClient(app);

        using var response = await owner.SubmitFormAsync($"/setup?token={token}", OwnerForm());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(app.Logs.Lines, m => m.Contains($"https://configured.example.test/setup?token={token}", StringComparison.Ordinal));
        using var db = app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM site_settings WHERE key = 'BaseUrl';"));
    }

    [Fact]
    public async Task AnOwnerWithoutAnAddressIsToldAtStartupWhatLinksUse()
    {
        using var restarted = new LoggingAppFactory(await FolderWithAnOwnerAsync()) { Settings = { ["Blog:BaseUrl"] = "" } };

        _ = restarted.Services;

        var warning = restarted.Logs.WaitFor(m => m.Contains("does not know its public address", StringComparison.Ordinal));

        Assert.NotNull(warning);
        Assert.Contains("http://localhost:5000", warning, StringComparison.Ordinal);
    }

    /// <summary>The app with its log messages kept, to read the setup link the way an admin would.</summary>
    private sealed class LoggingAppFactory : BlogAppFactory
    {
        public LoggingAppFactory()
        {
        }

        public LoggingAppFactory(string dataDirectory, bool ownsDataFolder = true)
            : base(dataDirectory, ownsDataFolder)
        {
        }

        public CapturedLogs Logs { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        }
    }
}
