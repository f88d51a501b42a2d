using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.RegularExpressions;
using Blog.Web.Identity;
using Dapper;
using Npgsql;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// Two real blog processes (Kestrel on loopback ports, the built Blog.Web.dll), each with a data folder of its own, on
/// one empty PostgreSQL database and one private Redis, configured as the README's "Running several instances" says.
/// They are started at the same moment, as a deployment of several instances would be, and that start is itself what
/// some tests check: what each printed and what the database held right after it are kept, and the owner is then made
/// through the setup link they printed, opened on one instance and used on the other (<see cref="Setup"/>). A test may
/// kill an instance; <see cref="RestartAsync"/> brings it back, on a new port, for the tests after it.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "xUnit disposes a fixture through IAsyncLifetime.DisposeAsync, which disposes it.")]
public sealed partial class TwoBlogProcesses : IAsyncLifetime
{
    /// <summary>The public address both instances are configured with (Blog:BaseUrl), as behind the proxy.</summary>
    public const string BaseUrl = "https://blog.example.test";

    public const string OwnerEmail = "owner@blog.example.test";

    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(120);

    private readonly string[] _folders = [TestDataFolder.Create(), TestDataFolder.Create()];
    private readonly string _seederFolder = TestDataFolder.Create();
    private readonly BlogProcess?[] _instances = new BlogProcess?[2];
    private PostgresTestDatabase? _database;
    private RedisProcess? _redis;
    private BlogAppFactory? _seeder;

    public BlogProcess First => _instances[0]!;

    public BlogProcess Second => _instances[1]!;

    public BlogProcess this[int index] => _instances[index]!;

    public NpgsqlDataSource Database => _database!.DataSource;

    /// <summary>What each instance printed during the start they made together (before any restart).</summary>
    public IReadOnlyList<string> StartOutputs { get; private set; } = [];

    /// <summary>Rows in <c>setup_links</c> once both served, before anyone used the link.</summary>
    public long SetupLinksAfterStart { get; private set; }

    public SetupClaim Setup { get; private set; } = null!;

    /// <summary>
    /// A third, in-process instance on the same database and Redis, only to create accounts and posts fast (the
    /// processes have no test hooks); what it writes reaches the others as any instance's writes do.
    /// </summary>
    public BlogAppFactory Seeder => _seeder!;

    /// <summary>The environment each instance runs with (the README's list, plus limits lifted for tests from one address).</summary>
    public Dictionary<string, string> Environment { get; private set; } = [];

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        _redis = RedisProcess.Start();
        Environment = new Dictionary<string, string>
        {
            ["Blog__Database__Provider"] = "PostgreSQL",
            [BlogProcess.OwnDatabaseVariable] = _database.ConnectionString,
            ["ConnectionStrings__Redis"] = _redis.Address,
            ["Blog__BaseUrl"] = BaseUrl,
            ["Blog__ReverseProxy__Enabled"] = "true",
            ["Blog__Defaults__Comments__Moderation"] = "Always",
            // Every test client comes from 127.0.0.1: limits per address would stop the storm, not test it.
            ["Blog__Comments__PerMinute"] = "10000",
            ["Blog__RateLimits__SignInPerMinute"] = "100000",
            ["Blog__RateLimits__ReaderPagesPerMinute"] = "1000000",
            // One line per request, so a test can tell which instance answered.
            ["Logging__LogLevel__Quire.Requests"] = "Information",
            ["Logging__LogLevel__Npgsql"] = "Warning",
        };

        _instances[0] = BlogProcess.Start(_folders[0], Environment);
        _instances[1] = BlogProcess.Start(_folders[1], Environment);
        await Task.WhenAll(First.WaitUntilServingAsync(StartPatience), Second.WaitUntilServingAsync(StartPatience));
        // The setup line is written once the server has started, by the console logger's own thread.
        await Eventually.TrueAsync(() => First.Output.Contains(NoOwnerYet, StringComparison.Ordinal) && Second.Output.Contains(NoOwnerYet, StringComparison.Ordinal));
        await using (var connection = await Database.OpenConnectionAsync())
        {
            SetupLinksAfterStart = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM setup_links");
        }
        StartOutputs = [First.Output, Second.Output];
        Setup = await ClaimAsync();

        _seeder = new BlogAppFactory(_seederFolder)
        {
            Settings =
            {
                ["Blog:Database:Provider"] = "PostgreSQL",
                ["ConnectionStrings:Blog"] = _database.ConnectionString,
                ["ConnectionStrings:Redis"] = _redis.Address,
                ["Blog:BaseUrl"] = BaseUrl,
            },
        };
        _ = _seeder.Services;
    }

    /// <summary>The setup tokens the instances printed, in the order of <see cref="StartOutputs"/>.</summary>
    public IReadOnlyList<string> PrintedTokens() =>
        [.. StartOutputs.SelectMany(output => SetupLink().Matches(output).Select(match => match.Groups[1].Value))];

    /// <summary>A confirmed member made by the seeder, with a post of its own to comment on.</summary>
    public async Task<(Member Member, long PostId, string Path)> MemberAndPostAsync()
    {
        var member = await BlogClient.CreateAccountAsync(Seeder, MemberRole.Member);
        var postId = await CommentTestData.CreatePostAsync(Seeder, DateTime.UtcNow.AddHours(-1));
        return (member, postId, CommentTestData.PostPath(Seeder, postId));
    }

    /// <summary>Starts the instance again on its data folder (on a new port), after a test killed it.</summary>
    public async Task RestartAsync(int index)
    {
        _instances[index]?.Dispose();
        _instances[index] = BlogProcess.Start(_folders[index], Environment);
        await this[index].WaitUntilServingAsync(StartPatience);
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            instance?.Dispose();
        }
        _seeder?.Dispose();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        _redis?.Dispose();
        foreach (var folder in _folders.Append(_seederFolder))
        {
            TestDataFolder.Delete(folder);
        }
    }

    /// <summary>What the owner's setup did, step by step, on which instance.</summary>
    public sealed record SetupClaim(HttpStatusCode FormOnFirst, HttpStatusCode FormOnSecond, HttpStatusCode CreatedOnSecond, string CreatedPage, HttpStatusCode AfterwardsOnFirst);

    private const string NoOwnerYet = "This blog has no owner yet.";

    [GeneratedRegex(@"/setup\?token=([A-Za-z0-9_-]+)")]
    private static partial Regex SetupLink();

    /// <summary>Opens the printed link on the first instance and on the second, creates the owner on the second, and looks again on the first.</summary>
    private async Task<SetupClaim> ClaimAsync()
    {
        var tokens = PrintedTokens();
        var token = tokens.Count > 0
            ? tokens[0]
            : throw new InvalidOperationException("Neither instance printed a setup link:\n" + string.Join("\n----\n", StartOutputs));
        var setupPath = "/setup?token=" + token;
        using var browser = new ProcessBrowser();
        using var onFirst = await browser.GetAsync(First.Address, setupPath);
        using var onSecond = await browser.GetAsync(Second.Address, setupPath);
        if (onSecond.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The setup link answered {(int)onSecond.StatusCode} on the second instance:\n{Second.Output}");
        }
        var formToken = BlogClient.AntiforgeryToken(BlogClient.Parse(await onSecond.Content.ReadAsStringAsync()), setupPath);
        using var created = await browser.PostFormAsync(Second.Address, "/setup", new Dictionary<string, string>
        {
            ["Token"] = token,
            ["DisplayName"] = "The owner",
            ["Email"] = OwnerEmail,
            ["Password"] = BlogClient.Password,
            ["ConfirmPassword"] = BlogClient.Password,
        }, formToken);
        using var afterwards = await browser.GetAsync(First.Address, setupPath);
        return new SetupClaim(onFirst.StatusCode, onSecond.StatusCode, created.StatusCode,
            await BlogClient.TextOfAsync(created), afterwards.StatusCode);
    }
}
