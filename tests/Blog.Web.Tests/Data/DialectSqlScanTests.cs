using System.Text.RegularExpressions;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Data;

/// <summary>
/// Dapper expands <c>IN @list</c> on SQLite but hands Npgsql the list as one array parameter, so on PostgreSQL the
/// same text is an error. Every such text must be the SQLite half of a <c>DialectSql</c>, whose PostgreSQL half
/// says <c>= ANY(@list)</c>.
/// </summary>
public sealed partial class DialectSqlScanTests
{
    [Fact]
    public void EveryInListOfTheAppIsTheSqliteTextOfADialectPair()
    {
        var sources = Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "src", "Blog.Web"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        var unpaired = sources.SelectMany(path => UnpairedInLists(File.ReadAllText(path)).Select(line => $"{Path.GetFileName(path)}:{line}")).ToList();

        Assert.True(sources.Count > 50, "The app's sources were not found.");
        Assert.Empty(unpaired);
    }

    [Fact]
    public void AnInListOutsideADialectPairIsFound()
    {
        const string source = """"
            const string sql = "SELECT 1 FROM t WHERE id IN @Ids";
            """";

        Assert.Equal([1], UnpairedInLists(source));
    }

    [Fact]
    public void AnInListInThePostgreSqlTextIsFound()
    {
        const string source = """"
            var sql = db.Dialect.Text(new DialectSql(
                Sqlite: "SELECT 1 FROM t WHERE id IN @Ids",
                PostgreSql: "SELECT 1 FROM t WHERE id IN @Ids"));
            """";

        Assert.Equal([3], UnpairedInLists(source));
    }

    [Fact]
    public void AnInListInTheSqliteTextOfAPairIsAccepted()
    {
        const string source = """"
            var sql = db.Dialect.Text(new DialectSql(
                Sqlite: """
                    SELECT 1 FROM t
                    WHERE id IN @Ids
                    """,
                PostgreSql: """
                    SELECT 1 FROM t
                    WHERE id = ANY(@Ids)
                    """));
            const string other = "SELECT 2 FROM t WHERE id IN (1, 2)";
            """";

        Assert.Empty(UnpairedInLists(source));
    }

    /// <summary>Line numbers of each <c>IN @</c> not in a pair's SQLite text: the label before it must be <c>Sqlite:</c>.</summary>
    private static IEnumerable<int> UnpairedInLists(string source)
    {
        foreach (Match inList in InList().Matches(source))
        {
            var before = source[..inList.Index];
            var sqliteLabel = before.LastIndexOf("Sqlite:", StringComparison.Ordinal);
            var postgreSqlLabel = before.LastIndexOf("PostgreSql:", StringComparison.Ordinal);
            var afterPair = source.IndexOf("PostgreSql:", inList.Index, StringComparison.Ordinal);
            if (sqliteLabel <= postgreSqlLabel || afterPair < 0)
            {
                yield return before.Count(c => c == '\n') + 1;
            }
        }
    }

    [GeneratedRegex(@"\bIN\s+@\w", RegexOptions.IgnoreCase)]
    private static partial Regex InList();
}
