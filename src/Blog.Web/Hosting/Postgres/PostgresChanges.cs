using System.Collections.Concurrent;
using System.Data.Common;

namespace Blog.Web.Hosting.Postgres;

/// <summary>
/// Changes told through PostgreSQL when no Redis is configured: a counter per name in <c>instance_changes</c>, moved
/// by the instance that changes it, and a notice every instance hears on its listening connection. While it listens,
/// an instance answers <see cref="VersionAsync"/> from the last notice it heard, with no query; a change made
/// elsewhere reaches its copies as soon as the notice arrives (NOTIFY delivery: a few milliseconds on one network),
/// which is the one delay this leaves. While it cannot listen, it reads the counter itself, so no copy is used after
/// a change it could not hear.
/// </summary>
public sealed partial class PostgresChanges(PostgresChangeStore store, ILogger<PostgresChanges> logger) : CrossInstanceChanges, IChangeNoticeHandler
{
    private readonly ConcurrentDictionary<string, long> _heard = new(StringComparer.Ordinal);
    private readonly ChangeReloads _reloads = new(logger);
    private volatile bool _listening;

    public override async ValueTask<long> VersionAsync(string name, CancellationToken cancellationToken) =>
        _listening ? _heard.GetValueOrDefault(name) : await store.VersionAsync(name, cancellationToken);

    public override async ValueTask ChangedAsync(string name)
    {
        try
        {
            // Not the request's token: the change is committed, so the others must hear of it even if the writer hung up.
            _heard[name] = await store.CountAndNotifyAsync(name, CancellationToken.None);
        }
        catch (DbException ex)
        {
            // The change itself is saved; the database failing right after it leaves the other instances' copies
            // behind until the next change, which is better than telling the writer it failed.
            NotTold(logger, ex, name);
        }
    }

    public override void WhenChangedElsewhere(string name, Func<Task> reload) => _reloads.Add(name, reload);

    public Task HeardAsync(ChangeNotice notice)
    {
        if (notice.Kind == ChangeNotice.Changed)
        {
            // Each change has a count of its own, so a copy read before it was read under another number.
            _heard[notice.Subject] = notice.Number;
            _ = _reloads.RunAsync(notice.Subject);
        }
        return Task.CompletedTask;
    }

    public async Task ListeningAsync(CancellationToken ct)
    {
        var versions = await store.VersionsAsync(ct);
        _heard.Clear();
        foreach (var (name, version) in versions)
        {
            _heard[name] = version;
        }
        _listening = true;
        // What changed while nobody listened was not heard: reload everything that is reloaded on a notice.
        foreach (var name in _reloads.Names)
        {
            _ = _reloads.RunAsync(name);
        }
    }

    public Task DeafAsync()
    {
        _listening = false;
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Could not tell the other instances that {Name} changed")]
    private static partial void NotTold(ILogger logger, Exception exception, string name);
}
