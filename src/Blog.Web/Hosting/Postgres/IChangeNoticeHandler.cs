namespace Blog.Web.Hosting.Postgres;

/// <summary>What acts on the notices other instances send (see <see cref="PostgresChangeListener"/>).</summary>
public interface IChangeNoticeHandler
{
    /// <summary>Another instance sent <paramref name="notice"/>.</summary>
    Task HeardAsync(ChangeNotice notice);

    /// <summary>Listening from now on (at start, or again after the connection was lost): whatever was said before may have been missed.</summary>
    Task ListeningAsync(CancellationToken ct);

    /// <summary>Not listening (before the first connection, or since it was lost): anything may change elsewhere unheard.</summary>
    Task DeafAsync();
}
