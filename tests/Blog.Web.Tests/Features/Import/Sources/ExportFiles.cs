using System.IO.Compression;
using System.Text;
using Blog.Web.Features.Import;
using Blog.Web.Features.Import.Sources;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Import.Sources;

/// <summary>Export files written for a test into a folder of its own, and read back the way an import reads them.</summary>
public sealed class ExportFiles : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("quire-export-").FullName;

    public string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    public string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(Folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A zip of the given entries (name → bytes), stored with the names exactly as given.</summary>
    public string Zip(string name, params (string Entry, byte[] Bytes)[] entries)
    {
        var path = Path.Combine(Folder, name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entryName, bytes) in entries)
        {
            using var stream = zip.CreateEntry(entryName, CompressionLevel.Optimal).Open();
            stream.Write(bytes);
        }
        return path;
    }

    /// <summary>The shared fixture at <paramref name="relative"/>, when the fixtures folder is beside the checkout.</summary>
    public static string? Fixture(string relative) =>
        RepositoryRoot.FixturesPath is { } fixtures && File.Exists(Path.Combine(fixtures, relative)) ? Path.Combine(fixtures, relative) : null;

    public static Export Read(string path, string? uploads = null)
    {
        using var source = ImportSources.Open(path, null, uploads);
        var report = new ImportReport();
        var items = source.ReadItems(report).ToList();
        return new Export(source.Format, items, report);
    }

    public static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

public sealed record Export(ExportFormat Format, List<ImportedItem> Items, ImportReport Report)
{
    public ImportedBlog Blog => Assert.Single(Items.OfType<ImportedBlog>());

    public List<ImportedPost> Posts => Items.OfType<ImportedPost>().Where(p => p.Kind == "post").ToList();

    public List<ImportedPost> Pages => Items.OfType<ImportedPost>().Where(p => p.Kind == "page").ToList();

    public List<ImportedComment> Comments => Items.OfType<ImportedComment>().ToList();

    public ImportedPost Post(string title) => Assert.Single(Items.OfType<ImportedPost>(), p => p.Title == title);

    public int Skipped(string kind, string reason) => Report.For(kind).Skipped.GetValueOrDefault(reason);
}
