namespace Blog.Web.Hosting;

/// <summary>
/// How a process learns that another instance of the blog changed something it keeps in memory (the site settings,
/// the blog's address). A blog served by one process needs nothing (<see cref="InProcessChanges"/>): the process
/// that saves also replaces its copy. Instances sharing a Redis tell each other there (<see cref="Redis.RedisChanges"/>),
/// and instances on one PostgreSQL without Redis through the database (<see cref="Postgres.PostgresChanges"/>).
/// </summary>
public abstract class CrossInstanceChanges
{
    public const string Settings = "settings";
    public const string Address = "address";

    /// <summary>A number that moves whenever <paramref name="name"/> changes anywhere; compare it with the one a copy was read at.</summary>
    public abstract ValueTask<long> VersionAsync(string name, CancellationToken cancellationToken);

    /// <summary>Says that <paramref name="name"/> changed, once the change is committed.</summary>
    public abstract ValueTask ChangedAsync(string name);

    /// <summary>Runs <paramref name="reload"/> whenever another instance says <paramref name="name"/> changed.</summary>
    public abstract void WhenChangedElsewhere(string name, Func<Task> reload);
}

/// <summary>One process: nobody else changes anything, so the version never moves and no one is told.</summary>
public sealed class InProcessChanges : CrossInstanceChanges
{
    public override ValueTask<long> VersionAsync(string name, CancellationToken cancellationToken) => ValueTask.FromResult(0L);

    public override ValueTask ChangedAsync(string name) => ValueTask.CompletedTask;

    public override void WhenChangedElsewhere(string name, Func<Task> reload)
    {
    }
}
