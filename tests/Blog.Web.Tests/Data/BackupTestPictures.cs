using System.IO.Compression;
using System.Security.Cryptography;
using Blog.Web.Data;
using Blog.Web.Features.Media;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Blog.Web.Tests.Data;

/// <summary>
/// Pictures as an upload leaves them, for backup tests: a media row, its media_files rows, and real image files of
/// those sizes in the data folder's media/ (file name → bytes written).
/// </summary>
internal static class BackupTestPictures
{
    public static Dictionary<string, byte[]> Seed(string dataFolder, int width, int height, bool transparent = false)
    {
        var hash = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        var fallback = MediaFormat.Fallback(transparent);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var media = Directory.CreateDirectory(Path.Combine(dataFolder, "media")).FullName;
        using var db = new SqliteConnection($"Data Source={Path.Combine(dataFolder, "blog.db")};Pooling=False");
        db.Open();
        var id = db.ExecuteScalar<long>(
            """
            INSERT INTO media (hash, file_name, alt_text, width, height, source_format, has_alpha, uploaded_at)
            VALUES (@Hash, 'holiday.jpg', 'A gradient', @Width, @Height, @Format, @HasAlpha, @Now)
            RETURNING id
            """,
            new { Hash = hash, Width = width, Height = height, Format = transparent ? MediaFormat.Png : MediaFormat.Jpeg, HasAlpha = transparent, Now = SqliteTimes.Format(DateTime.UtcNow) });
        foreach (var w in MediaAddresses.WidthsFor(width))
        {
            var h = Math.Max(1, height * w / width);
            foreach (var format in new[] { MediaFormat.WebP, fallback })
            {
                var bytes = format switch
                {
                    MediaFormat.WebP => TestImages.WebP(w, h),
                    MediaFormat.Png => TestImages.Png(w, h, transparent: true),
                    _ => TestImages.Jpeg(w, h),
                };
                var name = MediaAddresses.FileName(hash, w, format);
                File.WriteAllBytes(Path.Combine(media, name), bytes);
                files[name] = bytes;
                db.Execute("INSERT INTO media_files (media_id, format, width, height, byte_size) VALUES (@Id, @Format, @W, @H, @Size)",
                    new { Id = id, Format = format, W = w, H = h, Size = bytes.LongLength });
            }
        }
        return files;
    }

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
