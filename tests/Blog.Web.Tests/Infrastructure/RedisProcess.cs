using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// A <c>redis-server</c> of its own on a free loopback port, keeping nothing on disk: the run's shared one
/// (<see cref="RedisServer"/>), or one a test stops half-way to see what the blog does without Redis.
/// </summary>
public sealed class RedisProcess : IDisposable
{
    private readonly Process _server;

    private RedisProcess(Process server, string address)
    {
        _server = server;
        Address = address;
    }

    /// <summary>host:port, as a StackExchange.Redis configuration string starts.</summary>
    public string Address { get; }

    public static RedisProcess Start(int databases = 16)
    {
        var binary = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "redis-server")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "The tests of several instances need Redis: install redis-server (apt-get install -y redis-server) or set QUIRE_TEST_REDIS.");
        var port = FreePort();
        var server = Process.Start(new ProcessStartInfo(binary)
        {
            ArgumentList = { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--databases", databases.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        server.OutputDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        var address = $"127.0.0.1:{port}";
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var probe = ConnectionMultiplexer.Connect(address + ",connectTimeout=200");
                probe.GetDatabase().Ping();
                return new RedisProcess(server, address);
            }
            catch (RedisConnectionException) when (!server.HasExited)
            {
                Thread.Sleep(50);
            }
        }
        server.Kill();
        throw new InvalidOperationException($"redis-server did not answer on {address}.");
    }

    /// <summary>Kills the server at once, as a crash or a network cut would take it away.</summary>
    public void Dispose()
    {
        if (!_server.HasExited)
        {
            _server.Kill();
            _server.WaitForExit();
        }
        _server.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
