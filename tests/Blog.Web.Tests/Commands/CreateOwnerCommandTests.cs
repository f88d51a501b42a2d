using System.Diagnostics;
using Blog.Web.Commands;
using Blog.Web.Tests.Infrastructure;
using Dapper;

namespace Blog.Web.Tests.Commands;

public sealed class CreateOwnerCommandTests
{
    private sealed record Run(int ExitCode, string Output, string Error);

    private static async Task<Run> RunAsync(BlogAppFactory app, string[] args, string stdin = "", string? passwordVariable = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CommandConsole(new StringReader(stdin), output, error,
            name => name == CreateOwnerCommand.PasswordVariable ? passwordVariable : null);
        var command = BlogCommands.Find(["create-owner"])!;

        var exitCode = await command.RunAsync(app.Services, args, console, CancellationToken.None);
        return new Run(exitCode, output.ToString(), error.ToString());
    }

    private static List<(string Email, string DisplayName, string Role, long EmailConfirmed)> Owners(BlogAppFactory app)
    {
        using var db = app.OpenDatabase();
        return db.Query<(string, string, string, long)>(
            "SELECT email, display_name, role, email_confirmed FROM members WHERE role = 'owner';").ToList();
    }

    [Fact]
    public async Task CreatesTheOwnerWithThePasswordFromStandardInput()
    {
        using var app = new BlogAppFactory();

        var run = await RunAsync(app, ["--email", "owner@example.test", "--name", "Ada Owner"], BlogClient.Password + "\n");
        using var client = new BlogClient(app);
        await client.SignInAsync("owner@example.test");
        using var members = await client.GetAsync("/admin/members");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Created the owner account owner@example.test", run.Output, StringComparison.Ordinal);
        Assert.Equal([("owner@example.test", "Ada Owner", "owner", 1L)], Owners(app));
        Assert.Equal(System.Net.HttpStatusCode.OK, members.StatusCode);
    }

    [Fact]
    public async Task TakesThePasswordFromTheEnvironmentVariable()
    {
        using var app = new BlogAppFactory();

        var run = await RunAsync(app, ["--email", "env-owner@example.test"], stdin: "", passwordVariable: BlogClient.Password);
        using var client = new BlogClient(app);

        Assert.Equal(0, run.ExitCode);
        Assert.Single(Owners(app));
        await client.SignInAsync("env-owner@example.test");
    }

    [Fact]
    public async Task RefusesWhenAnOwnerExists()
    {
        using var app = new BlogAppFactory();
        await BlogClient.CreateAccountAsync(app, Blog.Web.Identity.MemberRole.Owner, "first@example.test");

        var run = await RunAsync(app, ["--email", "second@example.test"], BlogClient.Password);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("already has an owner", run.Error, StringComparison.Ordinal);
        Assert.Equal("first@example.test", Assert.Single(Owners(app)).Email);
    }

    [Theory]
    [InlineData("--email", "owner@example.test", "--password", "correct horse battery staple")]
    [InlineData("--email", "not-an-email", "", "")]
    [InlineData("--name", "No Email", "", "")]
    public async Task RefusesBadArgumentsAndNeverTakesAPasswordArgument(string a, string b, string c, string d)
    {
        using var app = new BlogAppFactory();
        string[] args = c.Length == 0 ? [a, b] : [a, b, c, d];

        var run = await RunAsync(app, args, BlogClient.Password);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Usage:", run.Error, StringComparison.Ordinal);
        Assert.Empty(Owners(app));
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    public async Task RefusesAMissingOrWeakPassword(string stdin)
    {
        using var app = new BlogAppFactory();

        var run = await RunAsync(app, ["--email", "owner@example.test"], stdin);

        Assert.Equal(1, run.ExitCode);
        Assert.NotEqual("", run.Error);
        Assert.Empty(Owners(app));
    }

    [Fact]
    public async Task RecordsTheBlogsAddressGivenWithBaseUrl()
    {
        using var app = new BlogAppFactory { Settings = { ["Blog:BaseUrl"] = "" } };

        var run = await RunAsync(app, ["--email", "owner@example.test", "--base-url", "HTTPS://Blog.Example.test/"], BlogClient.Password);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("The blog's address is https://blog.example.test.", run.Output, StringComparison.Ordinal);
        using var db = app.OpenDatabase();
        Assert.Equal("https://blog.example.test", db.ExecuteScalar<string>("SELECT value FROM site_settings WHERE key = 'BaseUrl';"));
    }

    [Fact]
    public async Task RefusesAnUnusableBaseUrlBeforeCreatingAnything()
    {
        using var app = new BlogAppFactory { Settings = { ["Blog:BaseUrl"] = "" } };

        var run = await RunAsync(app, ["--email", "owner@example.test", "--base-url", "https://example.com/blog"], BlogClient.Password);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--base-url: Quire is served from the root of its address", run.Error, StringComparison.Ordinal);
        Assert.Empty(Owners(app));
    }

    [Fact]
    public async Task WithoutAnAddressSaysWhatLinksUseUntilOneIsSet()
    {
        using var app = new BlogAppFactory { Settings = { ["Blog:BaseUrl"] = "" } };

        var run = await RunAsync(app, ["--email", "owner@example.test"], BlogClient.Password);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("does not know its public address yet", run.Output, StringComparison.Ordinal);
        using var db = app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM site_settings WHERE key = 'BaseUrl';"));
    }

    [Fact]
    public async Task RunsAsAChildProcessWithoutStartingTheWebServer()
    {
        var folder = TestDataFolder.Create();
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { typeof(Program).Assembly.Location, "create-owner", "--email", "cli@example.test", "--name", "Cli Owner" },
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = folder,
                Environment = { ["Blog__DataDirectory"] = folder, ["ASPNETCORE_ENVIRONMENT"] = "Production", ["Urls"] = "http://127.0.0.1:1" },
            };
            // The command's blog on this run's engine, where the check below looks.
            foreach (var (name, value) in TestDatabase.EnvironmentVariables(folder))
            {
                start.Environment[name] = value;
            }
            using var process = Process.Start(start)!;
            await process.StandardInput.WriteLineAsync(BlogClient.Password);
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await process.WaitForExitAsync(timeout.Token);

            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await output}\n{await error}");
            Assert.Contains("Created the owner account cli@example.test", await output, StringComparison.Ordinal);
            using var app = new BlogAppFactory(folder);
            using var db = app.OpenDatabase();
            Assert.Equal("owner", db.ExecuteScalar<string>("SELECT role FROM members WHERE email = 'cli@example.test';"));
        }
        finally
        {
            TestDataFolder.Delete(folder);
        }
    }
}
