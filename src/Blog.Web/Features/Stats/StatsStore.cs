using Blog.Web.Data;
using Dapper;

namespace Blog.Web.Features.Stats;

/// <summary>
/// The statistics' writes. Every count is added to what the row holds (count = count + n), never set, so several
/// processes counting into one database add up instead of overwriting each other.
/// </summary>
public sealed class StatsStore(BlogDatabase db)
{
    /// <summary>
    /// Today's salt: the one already stored (by this process or another), else <paramref name="candidate"/>. Earlier
    /// days' salts and visitor hashes are deleted in the same transaction: once a day is over, nothing is left that
    /// could tie a count to an address.
    /// </summary>
    public async Task<byte[]> StartDayAsync(string day, byte[] candidate, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO stats_salts (day, salt) VALUES (@Day, @Salt) ON CONFLICT (day) DO NOTHING;
            DELETE FROM stats_salts WHERE day < @Day;
            DELETE FROM stats_visitors WHERE day < @Day;
            SELECT salt FROM stats_salts WHERE day = @Day;
            """;
        await using var write = await db.BeginWriteAsync(ct);
        var salt = await write.Connection.ExecuteScalarAsync<byte[]>(
            new CommandDefinition(sql, new { Day = day, Salt = candidate }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
        return salt ?? candidate;
    }

    /// <summary>Adds a window's counts. Views of a post deleted since are dropped with it.</summary>
    public async Task AddAsync(StatsWindow window, CancellationToken ct)
    {
        const string findPost = "SELECT id FROM posts WHERE kind = @Kind AND slug = @Slug";
        const string addVisitor = """
            INSERT INTO stats_visitors (day, post_id, visitor_hash) VALUES (@Day, @PostId, @Hash)
            ON CONFLICT (day, post_id, visitor_hash) DO NOTHING
            """;
        const string addPostDay = """
            INSERT INTO stats_post_days (day, post_id, views, visitors) VALUES (@Day, @PostId, @Views, @Visitors)
            ON CONFLICT (day, post_id) DO UPDATE SET views = stats_post_days.views + excluded.views, visitors = stats_post_days.visitors + excluded.visitors
            """;
        const string addReferrer = """
            INSERT INTO stats_referrer_days (day, domain, views) VALUES (@Day, @Text, @Count)
            ON CONFLICT (day, domain) DO UPDATE SET views = stats_referrer_days.views + excluded.views
            """;
        const string addSearch = """
            INSERT INTO stats_search_days (day, term, searches) VALUES (@Day, @Text, @Count)
            ON CONFLICT (day, term) DO UPDATE SET searches = stats_search_days.searches + excluded.searches
            """;

        await using var write = await db.BeginWriteAsync(ct);
        var connection = write.Connection;
        var postIds = new Dictionary<(string Kind, string Slug), long?>();
        async Task<long?> PostIdAsync(string kind, string slug)
        {
            if (!postIds.TryGetValue((kind, slug), out var id))
            {
                id = await connection.ExecuteScalarAsync<long?>(
                    new CommandDefinition(findPost, new { Kind = kind, Slug = slug }, write.Transaction, cancellationToken: ct));
                postIds[(kind, slug)] = id;
            }
            return id;
        }

        var newVisitors = new Dictionary<PageDay, int>();
        foreach (var visitor in window.Visitors.Keys)
        {
            if (await PostIdAsync(visitor.Kind, visitor.Slug) is not { } postId)
            {
                continue;
            }
            var added = await connection.ExecuteAsync(new CommandDefinition(addVisitor,
                new { visitor.Day, PostId = postId, Hash = HashBytes(visitor.Hash) }, write.Transaction, cancellationToken: ct));
            var page = new PageDay(visitor.Day, visitor.Kind, visitor.Slug);
            newVisitors[page] = newVisitors.GetValueOrDefault(page) + added;
        }
        foreach (var (page, views) in window.Views)
        {
            if (await PostIdAsync(page.Kind, page.Slug) is not { } postId)
            {
                continue;
            }
            await connection.ExecuteAsync(new CommandDefinition(addPostDay,
                new { page.Day, PostId = postId, Views = views.Count, Visitors = newVisitors.GetValueOrDefault(page) },
                write.Transaction, cancellationToken: ct));
        }
        await connection.ExecuteAsync(new CommandDefinition(addReferrer, Rows(window.Referrers), write.Transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(addSearch, Rows(window.Searches), write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
    }

    private static byte[] HashBytes(UInt128 hash)
    {
        var bytes = new byte[16];
        System.Runtime.InteropServices.MemoryMarshal.Write(bytes, in hash);
        return bytes;
    }

    private static object[] Rows(IEnumerable<KeyValuePair<TextDay, Tally>> counts) =>
        [.. counts.Select(entry => new { entry.Key.Day, entry.Key.Text, entry.Value.Count })];
}
