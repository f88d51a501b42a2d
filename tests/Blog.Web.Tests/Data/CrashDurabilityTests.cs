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
                                ["__RequestVerificationToken"] = token,
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
            ["__RequestVerificationToken"] = token,
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Signing in answered {(int)response.StatusCode}");
        return client;
    }

    /// <summary>An antiforgery token for this client as it is now (tokens are tied to who is signed in).</summary>
    private static async Task<string> TokenAsync(HttpClient client)
    {
        var page = BlogClient.Parse(await client.GetStringAsync(new Uri(CommentTestData.TokenPage, UriKind.Relative)));
        return page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException("No antiforgery token on " + CommentTestData.TokenPage);
    }
}
