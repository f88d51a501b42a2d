using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Blog.Web.Data;

/// <summary>
/// One numbered schema change, e.g. <c>0001_create_site_settings.sql</c>. Each engine has its own folder
/// (db/sqlite, db/postgresql); the files are numbered and named in step, one file's meaning in both dialects.
/// </summary>
public sealed partial record Migration(int Version, string FileName, string Sql)
{
    /// <summary>The folder of each engine's files, relative to the repository root; also their resource name prefix.</summary>
    public const string SqliteFolder = "db/sqlite";
    public const string PostgresFolder = "db/postgresql";

    [GeneratedRegex(@"^(?<version>\d{4})_[a-z0-9_]+\.sql$")]
    private static partial Regex FileNamePattern();

    /// <summary>
    /// One engine's migrations compiled into the app (<see cref="SqliteFolder"/> or <see cref="PostgresFolder"/>),
    /// in the order they apply. SQLite is the default engine, so it is the default folder.
    /// </summary>
    public static IReadOnlyList<Migration> FromEmbeddedResources(Assembly assembly, string folder = SqliteFolder)
    {
        var prefix = folder + "/";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(Parse(resource[prefix.Length..], reader.ReadToEnd()));
        }
        if (migrations.Count == 0)
        {
            // A typo in the folder would otherwise "migrate" to an empty schema without a word.
            throw new InvalidOperationException($"No migrations are embedded under '{folder}'.");
        }
        return Ordered(migrations);
    }

    /// <summary>The migrations in a folder; used by tests and tools that work on a checkout.</summary>
    public static IReadOnlyList<Migration> FromDirectory(string directory) =>
        Ordered(Directory.EnumerateFiles(directory, "*.sql")
            .Select(path => Parse(Path.GetFileName(path), File.ReadAllText(path)))
            .ToList());

    private static Migration Parse(string fileName, string sql)
    {
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
        {
            throw new InvalidOperationException(
                $"Migration file '{fileName}' must be named NNNN_verb_noun.sql (four digits, lower-case words).");
        }
        return new Migration(int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture), fileName, sql);
    }

    private static List<Migration> Ordered(List<Migration> migrations)
    {
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Two migrations share version {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.FileName))}.");
        }
        return [.. migrations.OrderBy(m => m.Version)];
    }
}
