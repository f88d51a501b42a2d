using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// The Redis that tests of several instances share: <c>QUIRE_TEST_REDIS</c> when set, else a private
/// <c>redis-server</c> started once per test run on a free loopback port, keeping nothing on disk, and stopped with
/// the run. Each blog gets a database number of its own, so tests running side by side never read each other's keys.
/// </summary>
public static class RedisServer
{
    private const int Databases = 4096;

    private static readonly Lazy<string> Address = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _lastDatabase;

    /// <summary>A connection string (for <c>ConnectionStrings:Redis</c>) to a database no other blog in this run uses.</summary>
    public static string ForNewBlog() =>
        $"{Address.Value},defaultDatabase={Interlocked.Increment(ref _lastDatabase) % Databases}";

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable("QUIRE_TEST_REDIS") is { Length: > 0 } given)
        {
            return given;
        }
        var binary = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "redis-server")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "The tests of several instances need Redis: install redis-server (apt-get install -y redis-server) or set QUIRE_TEST_REDIS.");
        var port = FreePort();
        var server = Process.Start(new ProcessStartInfo(binary)
        {
            ArgumentList = { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--databases", Databases.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        server.OutputDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Kill();
        var address = $"127.0.0.1:{port}";
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var probe = ConnectionMultiplexer.Connect(address + ",connectTimeout=200");
                probe.GetDatabase().Ping();
                return address;
            }
            catch (RedisConnectionException) when (!server.HasExited)
            {
                Thread.Sleep(50);
            }
        }
        throw new InvalidOperationException($"redis-server did not answer on {address}.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
