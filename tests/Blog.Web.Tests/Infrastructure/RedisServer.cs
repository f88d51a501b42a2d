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
        var server = RedisProcess.Start(Databases);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server.Address;
    }
}
