using System.Net;
using System.Net.Sockets;
using System.Text;
using Blog.Web.Hosting;
using Blog.Web.Mail;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Blog.Web.Tests.Mail;

public sealed class MailSenderTests : IDisposable
{
    private readonly string _folder = TestDataFolder.Create();

    public void Dispose() => TestDataFolder.Delete(_folder);

    private MailSender Sender(MailOptions options) =>
        new(Options.Create(options), new DataFolder(_folder), TimeProvider.System, NullLogger<MailSender>.Instance);

    [Theory]
    [InlineData("a.@x.com")]
    [InlineData("a@")]
    [InlineData("\"x\"@")]
    [InlineData("two words@example.test")]
    [InlineData("")]
    public async Task AStoredAddressThatCannotBeUsedIsNotSentAndNothingIsThrown(string address)
    {
        var sender = Sender(new MailOptions());

        var sent = await sender.TrySendAsync(address, "Hello", "Body");

        Assert.False(sent);
        Assert.Empty(Directory.GetFiles(new DataFolder(_folder).MailPath));
    }

    [Fact]
    public async Task AnUnreachableServerIsReportedAsNotSent()
    {
        var sender = Sender(new MailOptions { SmtpHost = "127.0.0.1", SmtpPort = ClosedPort.Find() });

        var sent = await sender.TrySendAsync("someone@example.test", "Hello", "Body");

        Assert.False(sent);
    }

    [Fact]
    public async Task WithAUserNameAServerWithoutStartTlsNeverSeesTheCredentials()
    {
        await using var server = new FakeSmtpServer();
        var sender = Sender(new MailOptions { SmtpHost = "127.0.0.1", SmtpPort = server.Port, SmtpUser = "blog", SmtpPassword = "s3cret" });

        var sent = await sender.TrySendAsync("someone@example.test", "Hello", "Body");
        var heard = await server.ConversationAsync();

        Assert.False(sent);
        Assert.Contains(heard, line => line.StartsWith("EHLO", StringComparison.Ordinal));
        Assert.DoesNotContain(heard, line => line.StartsWith("AUTH", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChoosingNoneForALocalRelaySendsWithoutTls()
    {
        await using var server = new FakeSmtpServer();
        var sender = Sender(new MailOptions { SmtpHost = "127.0.0.1", SmtpPort = server.Port, SmtpUser = "blog", SmtpPassword = "s3cret", SmtpSecurity = SmtpSecurity.None });

        var sent = await sender.TrySendAsync("someone@example.test", "Hello", "Body");
        var heard = await server.ConversationAsync();

        Assert.True(sent);
        Assert.Contains(heard, line => line.StartsWith("AUTH", StringComparison.Ordinal));
        Assert.Contains(heard, line => line.Contains("someone@example.test", StringComparison.Ordinal));
    }

    /// <summary>A one-connection SMTP server on loopback that offers AUTH but not STARTTLS and records what it hears.</summary>
    private sealed class FakeSmtpServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<string> _heard = [];
        private readonly Task _conversation;

        public FakeSmtpServer()
        {
            _listener.Start();
            _conversation = Task.Run(ServeOneAsync);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public async Task<IReadOnlyList<string>> ConversationAsync()
        {
            await _conversation.WaitAsync(TimeSpan.FromSeconds(30));
            return _heard;
        }

        private async Task ServeOneAsync()
        {
            using var client = await _listener.AcceptTcpClientAsync();
            using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 relay.test ESMTP");
            var inData = false;
            while (await reader.ReadLineAsync() is { } line)
            {
                _heard.Add(line);
                if (inData)
                {
                    if (line == ".")
                    {
                        inData = false;
                        await writer.WriteLineAsync("250 2.0.0 queued");
                    }
                    continue;
                }
                var verb = line.Split(' ')[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-relay.test");
                        await writer.WriteLineAsync("250 AUTH PLAIN LOGIN");
                        break;
                    case "AUTH":
                        await writer.WriteLineAsync("235 2.7.0 accepted");
                        break;
                    case "DATA":
                        inData = true;
                        await writer.WriteLineAsync("354 go ahead");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        return;
                    default:
                        await writer.WriteLineAsync("250 2.0.0 ok");
                        break;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try
            {
                await _conversation.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException or IOException or TimeoutException)
            {
                // The client never came, or hung up: nothing left to serve.
            }
            _listener.Dispose();
        }
    }
}
