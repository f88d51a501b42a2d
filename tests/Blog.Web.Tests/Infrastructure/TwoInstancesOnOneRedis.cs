namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// Two instances of the blog on one data folder and one private Redis, as behind a load balancer without sticky
/// sessions. Started one at a time, as a deployment would: the first migrates the database, the second finds it ready.
/// </summary>
public sealed class TwoInstancesOnOneRedis : IDisposable
{
    public TwoInstancesOnOneRedis(IReadOnlyDictionary<string, string?> settings)
    {
        First = Instance(settings);
        Second = Instance(settings);
        _ = First.Services;
        _ = Second.Services;
    }

    public string Folder { get; } = TestDataFolder.Create();

    /// <summary>The Redis configuration string both instances are given.</summary>
    public string Redis { get; } = RedisServer.ForNewBlog();

    public BlogAppFactory First { get; }

    public BlogAppFactory Second { get; }

    public void Dispose()
    {
        Second.Dispose();
        First.Dispose();
        TestDataFolder.Delete(Folder);
    }

    private BlogAppFactory Instance(IReadOnlyDictionary<string, string?> settings)
    {
        var app = new BlogAppFactory(Folder) { Settings = { ["ConnectionStrings:Redis"] = Redis } };
        foreach (var (key, value) in settings)
        {
            app.Settings[key] = value;
        }
        return app;
    }
}
