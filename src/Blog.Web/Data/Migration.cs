using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Blog.Web.Data;

/// <summary>One numbered schema change from db/migrations, e.g. <c>0001_create_site_settings.sql</c>.</summary>
public sealed partial record Migration(int Version, string FileName, string Sql)
{
    private const string ResourcePrefix = "db/migrations/";

    [GeneratedRegex(@"^(?<version>\d{4})_[a-z0-9_]+\.sql$")]
    private static partial Regex FileNamePattern();

    /// <summary>The migrations compiled into the app, in the order they apply.</summary>
    public static IReadOnlyList<Migration> FromEmbeddedResources(Assembly assembly)
    {
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(Parse(resource[ResourcePrefix.Length..], reader.ReadToEnd()));
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
