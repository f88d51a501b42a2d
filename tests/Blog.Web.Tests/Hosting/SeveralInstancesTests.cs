using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;

namespace Blog.Web.Tests.Hosting;

/// <summary>
/// The README's "Running several instances": two real blog processes on one PostgreSQL database and one Redis, then
/// the README's own nginx configuration in front of them. Whatever one instance starts, issues or changes, the other
/// honours at once; killing one loses no acknowledged write and leaves the other (and nginx) answering.
/// </summary>
[Trait("Database", "PostgreSQL")]
[Trait("Needs", "Redis")]
public sealed partial class SeveralInstancesTests(TwoBlogProcesses blog) : IClassFixture<TwoBlogProcesses>
{
    private const string Host = "blog.example.test";

    [Fact]
    public async Task BothStartingTogetherMigrateOnceAndPrintOneSetupLinkThatWorksOnEither()
    {
        var migrations = PostgresTestDatabase.Migrations;
        await using var connection = await blog.Database.OpenConnectionAsync();
        var recorded = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        var applyLines = blog.StartOutputs.Select(output => Regex.Count(output, "Applied migration ")).ToList();
        var printedBy = blog.StartOutputs.Select(output => SetupToken().Count(output)).ToList();
        var owners = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM members WHERE role = 'owner'");
        var linksLeft = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM setup_links");

        Assert.Equal(migrations.Select(migration => migration.Version).Order(), recorded);
        // Each file was applied by one instance: the other found it done once it had the lock.
        Assert.Equal(migrations.Count, applyLines.Sum());
        Assert.Equal(1, blog.SetupLinksAfterStart);
        Assert.Equal([0, 1], printedBy.Order());
        Assert.Contains(blog.StartOutputs, output => output.Contains("Another start of the blog issued the setup link", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, blog.Setup.FormOnFirst);
        Assert.Equal(HttpStatusCode.OK, blog.Setup.FormOnSecond);
        Assert.Equal(HttpStatusCode.OK, blog.Setup.CreatedOnSecond);
        Assert.Contains("Your blog is ready", blog.Setup.CreatedPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, blog.Setup.AfterwardsOnFirst);
        Assert.Equal(1, owners);
        Assert.Equal(0, linksLeft);
    }

    [Fact]
    public async Task ACommentPostedThroughOneWithTheOthersCookieAndApprovedOnTheFirstIsOnTheSecondsNextPage()
    {
        var (member, postId, path) = await blog.MemberAndPostAsync();
        var words = "Through the second, approved on the first " + Guid.NewGuid().ToString("N");
        using var reader = new ProcessBrowser();
        using var visitor = new ProcessBrowser();
        using var owner = new ProcessBrowser();
        await owner.SignInAsync(blog.First.Address, TwoBlogProcesses.OwnerEmail);
        using var rendered = await reader.GetAsync(blog.Second.Address, path);
        using var cached = await reader.GetAsync(blog.Second.Address, path);

        await visitor.SignInAsync(blog.First.Address, member.Email!);
        var tokenOfFirst = await visitor.TokenAsync(blog.First.Address);
        using var comment = await visitor.CommentAsync(blog.Second.Address, postId, words, tokenOfFirst);
        var commentId = CommentTestData.IdFromLocation(comment);
        var heldOnSecond = await BlogClient.TextOfAsync(await reader.GetAsync(blog.Second.Address, path));
        using var approved = await owner.PostFormAsync(blog.First.Address, "/admin/moderation/approve",
            new Dictionary<string, string> { ["id"] = commentId.ToString(CultureInfo.InvariantCulture) });
        var afterOnSecond = await BlogClient.TextOfAsync(await reader.GetAsync(blog.Second.Address, path));

        Assert.Equal(HttpStatusCode.OK, rendered.StatusCode);
        Assert.NotNull(cached.Headers.Age);
        Assert.Equal(HttpStatusCode.Redirect, comment.StatusCode);
        Assert.DoesNotContain(words, heldOnSecond, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Contains(words, afterOnSecond, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABanOnTheFirstRefusesTheMembersNextRequestsOnTheSecond()
    {
        var (member, postId, _) = await blog.MemberAndPostAsync();
        using var visitor = new ProcessBrowser();
        using var owner = new ProcessBrowser();
        await owner.SignInAsync(blog.First.Address, TwoBlogProcesses.OwnerEmail);
        await visitor.SignInAsync(blog.First.Address, member.Email!);
        var token = await visitor.TokenAsync(blog.First.Address);
        using var accountBefore = await visitor.GetAsync(blog.Second.Address, "/account");
        using var commentBefore = await visitor.CommentAsync(blog.Second.Address, postId, "Before the ban", token);

        using var ban = await owner.PostFormAsync(blog.First.Address, $"/admin/members/{member.Id}/ban", new Dictionary<string, string>());
        using var commentAfter = await visitor.CommentAsync(blog.Second.Address, postId, "After the ban " + Guid.NewGuid().ToString("N"), token);
        using var accountAfter = await visitor.GetAsync(blog.Second.Address, "/account");
        await using var connection = await blog.Database.OpenConnectionAsync();
        var stored = await connection.QueryAsync<string>("SELECT body_markdown FROM comments WHERE post_id = @PostId", new { PostId = postId });

        Assert.Equal(HttpStatusCode.OK, accountBefore.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, commentBefore.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, ban.StatusCode);
        Assert.DoesNotMatch("#c[0-9]+$", commentAfter.Headers.Location?.OriginalString ?? "");
        Assert.NotEqual(HttpStatusCode.OK, accountAfter.StatusCode);
        Assert.Equal(["Before the ban"], stored);
    }

    [Fact]
    public async Task KillingOneInstanceMidStormLosesNoAcknowledgedCommentAndTheOtherKeepsAnswering()
    {
        const int Writers = 4;
        const int KillAfterAcknowledged = 40;
        const int SurvivorAnswersEach = 3;
        var postId = await CommentTestData.CreatePostAsync(blog.Seeder, DateTime.UtcNow.AddHours(-1));
        var members = new List<Member>();
        for (var i = 0; i < Writers; i++)
        {
            members.Add(await BlogClient.CreateAccountAsync(blog.Seeder, MemberRole.Member));
        }
        var (survivor, victim) = (blog.First, blog.Second);
        var acknowledged = new ConcurrentDictionary<long, string>();
        var failedOnVictim = new int[Writers];
        var survivorAfterKill = new int[Writers];
        // Killed after this many acknowledgements or this long, whichever comes first (a shared machine may be slow).
        using var killNow = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var killed = new TaskCompletionSource();
        var browsers = members.Select(_ => new ProcessBrowser()).ToList();
        try
        {
            for (var i = 0; i < Writers; i++)
            {
                await browsers[i].SignInAsync(i % 2 == 0 ? survivor.Address : victim.Address, members[i].Email!);
            }
            var writers = browsers.Select((browser, index) => Task.Run(async () =>
            {
                var token = await browser.TokenAsync(survivor.Address);
                var victimGone = false;
                var deadline = DateTime.UtcNow.AddSeconds(60);
                for (var n = 0; survivorAfterKill[index] < SurvivorAnswersEach && DateTime.UtcNow < deadline; n++)
                {
                    // Each writer takes turns between the instances, until the victim stops answering it.
                    var target = !victimGone && (n + index) % 2 == 1 ? victim : survivor;
                    var body = string.Create(CultureInfo.InvariantCulture, $"Storm comment {index}-{n}");
                    var afterKill = killed.Task.IsCompleted;
                    try
                    {
                        using var response = await browser.CommentAsync(target.Address, postId, body, token);
                        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Commenting answered {(int)response.StatusCode}");
                        acknowledged[CommentTestData.IdFromLocation(response)] = body;
                        if (afterKill && target == survivor)
                        {
                            survivorAfterKill[index]++;
                        }
                        if (acknowledged.Count >= KillAfterAcknowledged)
                        {
                            await killNow.CancelAsync();
                        }
                    }
                    catch (HttpRequestException) when (target == victim)
                    {
                        // The victim died under this request, or was gone before it: never acknowledged.
                        failedOnVictim[index]++;
                        victimGone = true;
                    }
                }
            })).ToList();

            await Task.Delay(Timeout.Infinite, killNow.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            victim.KillHard();
            var acknowledgedBeforeKill = acknowledged.Count;
            killed.SetResult();
            await Task.WhenAll(writers);
            using var probe = new ProcessBrowser();
            var victimRefuses = await Assert.ThrowsAnyAsync<HttpRequestException>(() => probe.GetAsync(victim.Address, "/healthz"));
            using var survivorAnswers = await probe.GetAsync(survivor.Address, "/healthz");
            await using var connection = await blog.Database.OpenConnectionAsync();
            var stored = (await connection.QueryAsync<(long Id, string Body)>(
                "SELECT id, body_markdown FROM comments WHERE post_id = @PostId", new { PostId = postId })).ToDictionary(row => row.Id, row => row.Body);

            Assert.True(acknowledgedBeforeKill >= 4 * Writers, $"Only {acknowledgedBeforeKill} comments were acknowledged before the kill.");
            var lost = acknowledged.Where(pair => !stored.TryGetValue(pair.Key, out var body) || body != pair.Value).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged comments are not in the database, e.g. {lost.FirstOrDefault()}");
            // Besides those, at most the requests cut off by the kill may have been stored, never anything else.
            Assert.InRange(stored.Count, acknowledged.Count, acknowledged.Count + failedOnVictim.Sum());
            Assert.All(failedOnVictim, failures => Assert.True(failures >= 1));
            Assert.All(survivorAfterKill, answers => Assert.Equal(SurvivorAnswersEach, answers));
            Assert.Equal(HttpStatusCode.OK, survivorAnswers.StatusCode);
            Assert.IsType<SocketException>(victimRefuses.InnerException);
        }
        finally
        {
            browsers.ForEach(browser => browser.Dispose());
            await blog.RestartAsync(1);
        }
    }

    [Fact]
    [Trait("Needs", "Nginx")]
    public async Task TheReadmesNginxConfigurationSpreadsRequestsOverBothAndKeepsAnsweringWhenOneDies()
    {
        var (member, postId, path) = await blog.MemberAndPostAsync();
        using var certificate = Certificate();
        var certificateFolder = TestDataFolder.Create();
        var (httpPort, httpsPort) = (FreePort(), FreePort());
        try
        {
            var certificatePath = Path.Combine(certificateFolder, "fullchain.pem");
            var keyPath = Path.Combine(certificateFolder, "privkey.pem");
            await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
            var site = ReadmeNginxSite(httpPort, httpsPort, [blog.First.Address, blog.Second.Address], certificatePath, keyPath);
            using var nginx = await NginxProcess.StartAsync(site, httpsPort);
            var public443 = new Uri($"https://{Host}:{httpsPort.ToString(CultureInfo.InvariantCulture)}/");
            using var visitor = ThroughNginx(certificate);
            var probePath = "/turns-" + Guid.NewGuid().ToString("N");

            for (var i = 0; i < 10; i++)
            {
                using var answer = await visitor.GetAsync(public443, probePath);
                Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
            }
            var counted = await Eventually.TrueAsync(() => Answered(blog.First, probePath) + Answered(blog.Second, probePath) == 10);
            var (onFirst, onSecond) = (Answered(blog.First, probePath), Answered(blog.Second, probePath));
            using var plain = new ProcessBrowser(handler => handler.ConnectCallback = Loopback(httpPort));
            using var redirected = await plain.GetAsync(new Uri($"http://{Host}:{httpPort.ToString(CultureInfo.InvariantCulture)}/"), path);
            await visitor.SignInAsync(public443, member.Email!);
            var secureCookie = visitor.Cookies.GetAllCookies().Any(cookie => cookie is { Name: ".Quire.Auth", Secure: true });
            using var comment = await visitor.CommentAsync(public443, postId, "Through nginx");
            blog.First.KillHard();
            var afterKill = new List<HttpStatusCode>();
            for (var i = 0; i < 6; i++)
            {
                using var page = await visitor.GetAsync(public443, path);
                afterKill.Add(page.StatusCode);
            }
            using var commentAfterKill = await visitor.CommentAsync(public443, postId, "Through nginx, one instance down");

            Assert.True(counted, $"The instances logged {onFirst} and {onSecond} of the 10 requests.\n{nginx.Log}");
            Assert.True(onFirst >= 3 && onSecond >= 3, $"Round robin sent {onFirst} requests to the first and {onSecond} to the second.");
            Assert.Equal(HttpStatusCode.MovedPermanently, redirected.StatusCode);
            Assert.Equal($"https://{Host}{path}", redirected.Headers.Location!.OriginalString);
            Assert.True(secureCookie, "The sign-in cookie through nginx (X-Forwarded-Proto https) is not marked Secure.");
            Assert.Equal(HttpStatusCode.Redirect, comment.StatusCode);
            CommentTestData.IdFromLocation(comment);
            Assert.All(afterKill, status => Assert.Equal(HttpStatusCode.OK, status));
            Assert.Equal(HttpStatusCode.Redirect, commentAfterKill.StatusCode);
            CommentTestData.IdFromLocation(commentAfterKill);
        }
        finally
        {
            TestDataFolder.Delete(certificateFolder);
            if (blog.First.HasExited)
            {
                await blog.RestartAsync(0);
            }
        }
    }

    [GeneratedRegex(@"/setup\?token=[A-Za-z0-9_-]+")]
    private static partial Regex SetupToken();

    /// <summary>The README's marker, then its next fenced nginx block: what the test runs.</summary>
    private const string ReadmeMarker = "<!-- The nginx block below is the tested one";

    /// <summary>
    /// The README's nginx block with only the documented substitutions: the ports of the two <c>listen</c> lines, the
    /// upstream's <c>server</c> lines (one per instance) and the two certificate paths. Each must be found exactly as
    /// often as the README has it, so a README that drifts from this fails here instead of going untested.
    /// </summary>
    private static string ReadmeNginxSite(int httpPort, int httpsPort, IReadOnlyList<Uri> instances, string certificate, string key)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        var marker = readme.IndexOf(ReadmeMarker, StringComparison.Ordinal);
        Assert.True(marker >= 0, "README.md has lost the marker before its nginx configuration.");
        var block = NginxBlock().Match(readme, marker);
        Assert.True(block.Success, "No ```nginx block follows the README's marker.");
        var site = block.Groups[1].Value;

        site = ReplaceOnce(site, UpstreamServers(), "    " + string.Join("\n    ", instances.Select(instance =>
            $"server {instance.Host}:{instance.Port.ToString(CultureInfo.InvariantCulture)};")) + "\n");
        site = ReplaceOnce(site, ListenHttp(), $"listen 127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)};");
        site = ReplaceOnce(site, ListenHttps(), $"listen 127.0.0.1:{httpsPort.ToString(CultureInfo.InvariantCulture)} ssl");
        site = ReplaceOnce(site, CertificatePath(), $"ssl_certificate     {certificate};");
        site = ReplaceOnce(site, KeyPath(), $"ssl_certificate_key {key};");
        return site.Replace("blog.example.com", Host, StringComparison.Ordinal);
    }

    private static string ReplaceOnce(string text, Regex pattern, string replacement)
    {
        Assert.True(pattern.Count(text) == 1, $"The README's nginx block should have one match of {pattern}:\n{text}");
        return pattern.Replace(text, replacement.Replace("$", "$$", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"```nginx\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex NginxBlock();

    /// <summary>The upstream's run of <c>server address;</c> lines (not <c>server {</c> blocks).</summary>
    [GeneratedRegex(@"(?:^[ \t]*server [0-9A-Za-z.:\[\]-]+;[ \t]*\n)+", RegexOptions.Multiline)]
    private static partial Regex UpstreamServers();

    [GeneratedRegex(@"listen 80;")]
    private static partial Regex ListenHttp();

    [GeneratedRegex(@"listen 443 ssl")]
    private static partial Regex ListenHttps();

    [GeneratedRegex(@"ssl_certificate\s+\S+;")]
    private static partial Regex CertificatePath();

    [GeneratedRegex(@"ssl_certificate_key\s+\S+;")]
    private static partial Regex KeyPath();

    /// <summary>How many requests for <paramref name="path"/> the instance's request log shows (a unique path per test).</summary>
    private static int Answered(BlogProcess instance, string path) =>
        Regex.Count(instance.Output, $@"GET {Regex.Escape(path)} answered ");

    /// <summary>A browser that asks for the blog's public host name and reaches nginx on loopback, trusting only the test's certificate.</summary>
    private static ProcessBrowser ThroughNginx(X509Certificate2 certificate) => new(handler =>
    {
        handler.ConnectCallback = Loopback(null);
        handler.SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == certificate.GetCertHashString(),
        };
    });

    /// <summary>Connects to 127.0.0.1 whatever host the URL names, on <paramref name="port"/> or the URL's own.</summary>
    private static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Loopback(int? port) => async (context, cancellationToken) =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port ?? context.DnsEndPoint.Port), cancellationToken);
        return new NetworkStream(socket, ownsSocket: true);
    };

    private static X509Certificate2 Certificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={Host}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(Host);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
