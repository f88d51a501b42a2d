using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Blog.Web.Tests.Data;

/// <summary>
/// "Acknowledged writes survive a crash": the blog runs as a separate process, several members post comments as
/// fast as they can, the process is killed with SIGKILL mid-stream, and after a restart every comment whose POST
/// had been answered with success is there, in a database SQLite calls sound.
/// </summary>
// SQLite by nature: Opens the killed blog's SQLite file and runs its integrity check.
[Trait("Database", "Sqlite")]
public sealed class CrashDurabilityTests
{
    private const int Writers = 4;
    // Kill after this many acknowledgements or this long, whichever comes first (a loaded machine is slow).
    private const int StopAfterAcknowledged = 100;
    private static readonly TimeSpan StopAfter = TimeSpan.FromSeconds(10);

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Blog__Comments__PerMinute"] = "10000",
        ["Blog__RateLimits__SignInPerMinute"] = "1000",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    [Fact]
    public async Task EveryAcknowledgedCommentSurvivesAKillMidStream()
    {
        var dataDirectory = TestDataFolder.Create();
        try
        {
            var (postId, memberEmail) = await SeedAsync(dataDirectory);
            var acknowledged = new ConcurrentDictionary<long, string>();
            var cutOff = 0;

            using (var blog = BlogProcess.Start(dataDirectory, Settings))
            {
                await blog.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
                var clients = new List<HttpClient>();
                for (var i = 0; i < Writers; i++)
                {
                    clients.Add(await SignedInClientAsync(blog.Address, memberEmail));
                }
                using var enough = new CancellationTokenSource(StopAfter);
                var writers = clients.Select((client, index) => Task.Run(async () =>
                {
                    var token = await TokenAsync(client);
                    for (var n = 0; ; n++)
                    {
                        var body = string.Create(CultureInfo.InvariantCulture, $"Durable comment {index}-{n}");
                        try
                        {
                            using var response = await client.PostAsync(new Uri("/comments", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
                            {
                                ["PostId"] = postId.ToString(CultureInfo.InvariantCulture),
                                ["Body"] = body,
                                [BlogClient.AntiforgeryField] = token,
                            }));
                            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Commenting answered {(int)response.StatusCode}");
                            acknowledged[CommentTestData.IdFromLocation(response)] = body;
                            if (acknowledged.Count >= StopAfterAcknowledged && !enough.IsCancellationRequested)
                            {
                                await enough.CancelAsync();
                            }
                        }
                        catch (HttpRequestException)
                        {
                            // The process died under this request: it was never acknowledged.
                            Interlocked.Increment(ref cutOff);
                            return;
                        }
                    }
                })).ToList();

                await Task.Delay(Timeout.Infinite, enough.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                blog.KillHard();
                await Task.WhenAll(writers);
                clients.ForEach(client => client.Dispose());
            }

            using (var restarted = BlogProcess.Start(dataDirectory, Settings))
            {
                await restarted.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
                using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "blog.db")};Pooling=False");
                connection.Open();
                var stored = (await connection.QueryAsync<(long Id, string Body)>(
                    "SELECT id, body_markdown FROM comments WHERE post_id = @PostId", new { PostId = postId })).ToDictionary(row => row.Id, row => row.Body);
                var integrity = await connection.QueryAsync<string>("PRAGMA integrity_check;");

                Assert.True(acknowledged.Count >= 2 * Writers, $"Only {acknowledged.Count} comments were acknowledged before the kill.");
                Assert.Equal(Writers, cutOff);
                var lost = acknowledged.Where(pair => !stored.TryGetValue(pair.Key, out var body) || body != pair.Value).ToList();
                Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged comments are missing after the crash, e.g. {lost.FirstOrDefault()}");
                Assert.Equal(["ok"], integrity);
            }
        }
        finally
        {
            TestDataFolder.Delete(dataDirectory);
        }
    }

    [Fact]
    public async Task MailQueuedBeforeAKillIsSentAfterTheRestart()
    {
        var dataDirectory = TestDataFolder.Create();
        try
        {
            var (postId, memberEmail) = await SeedAsync(dataDirectory);
            var comment = $"A comment whose notice outlives a crash {Guid.NewGuid():N}";
            var mailServerDown = new Dictionary<string, string>(Settings)
            {
                ["Blog__Mail__SmtpHost"] = "127.0.0.1",
                ["Blog__Mail__SmtpPort"] = ClosedPort.Find().ToString(CultureInfo.InvariantCulture),
            };
            var mailFolder = Path.Combine(dataDirectory, "mail");

            using (var blog = BlogProcess.Start(dataDirectory, mailServerDown))
            {
                await blog.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
                using var member = await SignedInClientAsync(blog.Address, memberEmail);
                using var response = await member.PostAsync(new Uri("/comments", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["PostId"] = postId.ToString(CultureInfo.InvariantCulture),
                    ["Body"] = comment,
                    [BlogClient.AntiforgeryField] = await TokenAsync(member),
                }));
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                // Killed once the first attempt has failed and been recorded, not while a send holds its claim.
                Assert.True(await Eventually.TrueAsync(() => QueuedMail(dataDirectory) is { Attempts: 1, ClaimedUntil: null }),
                    "The notice was not tried and recorded as failed:\n" + blog.Output);
                blog.KillHard();
            }
            var beforeRestart = MessagesIn(mailFolder);

            using (var restarted = BlogProcess.Start(dataDirectory, Settings))
            {
                await restarted.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
                var arrived = await Eventually.TrueAsync(() => MessagesIn(mailFolder).Any(text => text.Contains(comment, StringComparison.Ordinal)));

                Assert.Empty(beforeRestart);
                Assert.True(arrived, "The notice queued before the kill was not sent after the restart:\n" + restarted.Output);
                Assert.True(await Eventually.TrueAsync(() => QueuedMail(dataDirectory) is null), "The sent notice is still in the outbox.");
            }
        }
        finally
        {
            TestDataFolder.Delete(dataDirectory);
        }
    }

    private sealed record OutboxState
    {
        public int Attempts { get; init; }

        public string? ClaimedUntil { get; init; }
    }

    private static OutboxState? QueuedMail(string dataDirectory)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "blog.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection.QuerySingleOrDefault<OutboxState>("SELECT attempts, claimed_until FROM mail_outbox");
    }

    private static List<string> MessagesIn(string folder) => Directory.Exists(folder)
        ? [.. Directory.GetFiles(folder, "*.eml").Select(path => MimeKit.MimeMessage.Load(path).TextBody ?? "")]
        : [];

    /// <summary>An owner, a member and an open post, written by an in-process app that is then shut down.</summary>
    private static async Task<(long PostId, string MemberEmail)> SeedAsync(string dataDirectory)
    {
        long postId;
        string email;
        await using (var seed = new BlogAppFactory(dataDirectory))
        {
            var owner = await BlogClient.CreateAccountAsync(seed, MemberRole.Owner);
            email = (await BlogClient.CreateAccountAsync(seed, MemberRole.Member)).Email!;
            postId = await CommentTestData.CreatePostAsync(seed, DateTime.UtcNow.AddHours(-1), owner.Id);
        }
        SqliteConnection.ClearAllPools();
        return (postId, email);
    }

    private static async Task<HttpClient> SignedInClientAsync(Uri address, string email)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var token = await TokenAsync(client);
        using var response = await client.PostAsync(new Uri("/account/sign-in", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email,
            ["Password"] = BlogClient.Password,
            [BlogClient.AntiforgeryField] = token,
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Signing in answered {(int)response.StatusCode}");
        return client;
    }

    /// <summary>An antiforgery token for this client as it is now (tokens are tied to who is signed in).</summary>
    private static async Task<string> TokenAsync(HttpClient client) =>
        BlogClient.AntiforgeryToken(
            BlogClient.Parse(await client.GetStringAsync(new Uri(CommentTestData.TokenPage, UriKind.Relative))), CommentTestData.TokenPage);
}
