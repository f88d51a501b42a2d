using System.IO.Compression;
using System.Security.Cryptography;
using Blog.Web.Data;
using Blog.Web.Features.Media;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Blog.Web.Tests.Data;

/// <summary>Backup zips for tests: their entries, their database, and hand-made or hostile ones.</summary>
internal static class BackupTestPictures
{
    /// <summary>The entries of a backup zip, name → content.</summary>
    public static Dictionary<string, byte[]> Entries(string zipPath)
    {
        using var zip = ZipFile.OpenRead(zipPath);
        return zip.Entries.ToDictionary(entry => entry.FullName, entry =>
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }, StringComparer.Ordinal);
    }

    /// <summary>Unpacks a backup's blog.db into <paramref name="folder"/>, to open with SQLite.</summary>
    public static string ExtractDatabase(string zipPath, string folder)
    {
        var path = Path.Combine(folder, $"unpacked-{Guid.NewGuid():N}.db");
        using var zip = ZipFile.OpenRead(zipPath);
        zip.GetEntry("blog.db")!.ExtractToFile(path);
        return path;
    }

    /// <summary>Writes a zip with the given entries (name → content), as a hand-made or hostile "backup".</summary>
    public static void WriteZip(string path, IEnumerable<KeyValuePair<string, byte[]>> entries)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, content) in entries)
        {
            using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
            stream.Write(content);
        }
    }
}
