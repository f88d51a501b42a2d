namespace Blog.Web.Hosting;

/// <summary>
/// What this process reloads when another instance says a name changed (<see cref="CrossInstanceChanges.WhenChangedElsewhere"/>):
/// kept here for each way instances hear of changes (Redis's channel, PostgreSQL's notices).
/// </summary>
public sealed partial class ChangeReloads(ILogger logger)
{
    private readonly Lock _registering = new();
    private readonly Dictionary<string, List<Func<Task>>> _reloads = new(StringComparer.Ordinal);

    /// <summary>The names something is reloaded for.</summary>
    public string[] Names
    {
        get
        {
            lock (_registering)
            {
                return [.. _reloads.Keys];
            }
        }
    }

    /// <summary>Registers <paramref name="reload"/> for <paramref name="name"/>; true for the very first registration, when listening should start.</summary>
    public bool Add(string name, Func<Task> reload)
    {
        lock (_registering)
        {
            var first = _reloads.Count == 0;
            if (!_reloads.TryGetValue(name, out var reloads))
            {
                _reloads[name] = reloads = [];
            }
            reloads.Add(reload);
            return first;
        }
    }

    /// <summary>Runs every reload of <paramref name="name"/>; one that fails is logged and the others still run.</summary>
    public async Task RunAsync(string name)
    {
        List<Func<Task>> reloads;
        lock (_registering)
        {
            reloads = _reloads.TryGetValue(name, out var registered) ? [.. registered] : [];
        }
        foreach (var reload in reloads)
        {
            try
            {
                await reload();
            }
            catch (Exception ex)
            {
                ReloadFailed(logger, ex, name);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Could not reload {Name} after another instance changed it")]
    private static partial void ReloadFailed(ILogger logger, Exception exception, string name);
}
