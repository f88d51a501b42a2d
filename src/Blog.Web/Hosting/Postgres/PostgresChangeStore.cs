using Blog.Web.Data;
using Dapper;

namespace Blog.Web.Hosting.Postgres;

/// <summary>
/// The SQL behind what instances tell each other through PostgreSQL: the counters in <c>instance_changes</c> and the
/// notices sent on one channel with <c>pg_notify</c>. NOTIFY is delivered when its transaction commits, and only to
/// sessions listening on the same database, so two blogs on one server never hear each other.
/// </summary>
public sealed class PostgresChangeStore(BlogDatabase db)
{
    public const string Channel = "quire_changes";

    /// <summary>This instance, in the notices it sends: it need not act on its own, having done so already.</summary>
    public string Sender { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Moves the counter of <paramref name="name"/> and tells the other instances, in one transaction; returns the new count.</summary>
    public async Task<long> CountAndNotifyAsync(string name, CancellationToken ct)
    {
        const string count = """
            INSERT INTO instance_changes (name, version) VALUES (@Name, 1)
            ON CONFLICT (name) DO UPDATE SET version = instance_changes.version + 1
            RETURNING version;
            """;
        await using var write = await db.BeginWriteAsync(ct);
        var version = await write.Connection.ExecuteScalarAsync<long>(new CommandDefinition(count, new { Name = name }, write.Transaction, cancellationToken: ct));
        var notice = new ChangeNotice(Sender, ChangeNotice.Changed, name, version);
        await write.Connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_notify(@Channel, @Payload);", new { Channel, notice.Payload }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
        return version;
    }

    /// <summary>Tells the other instances, with nothing to count.</summary>
    public async Task NotifyAsync(string kind, string subject, long number, CancellationToken ct)
    {
        var notice = new ChangeNotice(Sender, kind, subject, number);
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_notify(@Channel, @Payload);", new { Channel, notice.Payload }, cancellationToken: ct));
    }

    /// <summary>The counter of <paramref name="name"/>; 0 until it first changes.</summary>
    public async Task<long> VersionAsync(string name, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT version FROM instance_changes WHERE name = @Name;", new { Name = name }, cancellationToken: ct)) ?? 0;
    }

    /// <summary>Every counter that has moved, by name.</summary>
    public async Task<Dictionary<string, long>> VersionsAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Name, long Version)>(new CommandDefinition(
            "SELECT name, version FROM instance_changes;", cancellationToken: ct));
        return rows.ToDictionary(row => row.Name, row => row.Version, StringComparer.Ordinal);
    }
}
