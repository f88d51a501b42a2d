using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Hosting;

/// <summary>
/// Hostile Host headers sent byte for byte to the real server (Kestrel in its own process), because the in-process
/// test server cannot send an empty or malformed one: each is answered 400 or normally, never 500, and never echoed.
/// One blog knows its address (host filtering on), one does not (any host served).
/// </summary>
public sealed class HostHeaderTests(HostHeaderTests.Blogs blogs) : IClassFixture<HostHeaderTests.Blogs>
{
    public sealed class Blogs : IAsyncLifetime
    {
        private readonly string _knownFolder = TestDataFolder.Create();
        private readonly string _unknownFolder = TestDataFolder.Create();

        public BlogProcess Known { get; private set; } = null!;

        public BlogProcess Unknown { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Known = BlogProcess.Start(_knownFolder, new Dictionary<string, string> { ["Blog__BaseUrl"] = "https://blog.example.test" });
            Unknown = BlogProcess.Start(_unknownFolder);
            await Task.WhenAll(Known.WaitUntilServingAsync(TimeSpan.FromSeconds(60)), Unknown.WaitUntilServingAsync(TimeSpan.FromSeconds(60)));
        }

        public Task DisposeAsync()
        {
            Known.Dispose();
            Unknown.Dispose();
            TestDataFolder.Delete(_knownFolder);
            TestDataFolder.Delete(_unknownFolder);
            return Task.CompletedTask;
        }
    }

    private sealed record RawResponse(int Status, string Head, string Body);

    /// <summary>Host header values no browser sends; null leaves the header out.</summary>
    public static TheoryData<string?> HostileHosts() =>
    [
        "x:99999", "", null, "evil.example", "evil.example:-1", "[::1", "a b", "host:port", "xn--", ".", "::::",
        new string('h', 4000), "localhost:99999", "127.0.0.1:0",
    ];

    [Theory]
    [MemberData(nameof(HostileHosts))]
    public async Task AHostileHostIsAnsweredWithoutAServerErrorAndNeverEchoed(string? host)
    {
        foreach (var blog in new[] { blogs.Known, blogs.Unknown })
        {
            foreach (var path in (string[])["/", "/feeds/posts/default", "/feeds/comments/default", "/sitemap.xml", "/robots.txt"])
            {
                var response = await SendAsync(blog, path, host);

                Assert.True(response.Status is >= 200 and < 500, $"{path} with Host '{host}' answered {response.Status}:\n{response.Head}");
                if (host is { Length: > 4 })
                {
                    Assert.DoesNotContain(host, response.Head + response.Body, StringComparison.OrdinalIgnoreCase);
                }
            }
        }
    }

    [Theory]
    [InlineData("evil.example", 400)]
    [InlineData("blog.example.test", 200)]
    [InlineData("localhost", 200)]
    [InlineData("127.0.0.1", 200)]
    public async Task OnceTheAddressIsKnownOnlyItAndTheLoopbackNamesAreServed(string host, int expected)
    {
        var response = await SendAsync(blogs.Known, "/healthz", host);

        Assert.Equal(expected, response.Status);
    }

    [Fact]
    public async Task AnyHostIsServedWhileTheAddressIsUnknown()
    {
        var response = await SendAsync(blogs.Unknown, "/healthz", "somewhere.example");

        Assert.Equal(200, response.Status);
    }

    [Theory]
    [InlineData("blog.example.test")]
    [InlineData("evil.example")]
    public async Task NoResponseNamesTheServerSoftware(string host)
    {
        var response = await SendAsync(blogs.Known, "/", host);

        Assert.DoesNotContain("\r\nServer:", response.Head, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Kestrel", response.Head, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>One HTTP/1.1 request written by hand, so the Host header is exactly <paramref name="host"/>.</summary>
    private static async Task<RawResponse> SendAsync(BlogProcess blog, string path, string? host)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(blog.Address.Host, blog.Address.Port);
        await using var stream = tcp.GetStream();
        var request = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"GET {path} HTTP/1.1\r\n");
        if (host is not null)
        {
            request.Append(CultureInfo.InvariantCulture, $"Host: {host}\r\n");
        }
        request.Append("Connection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()));

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var status = int.Parse(head.Split(' ', 3)[1], CultureInfo.InvariantCulture);
        return new RawResponse(status, head, split < 0 ? "" : text[(split + 4)..]);
    }
}
