using System.Globalization;
using Blog.Web.Features.Media;
using Microsoft.Data.Sqlite;

namespace Blog.Web.Features.Backup;

/// <summary>
/// The layout of a backup: one zip holding <c>blog.db</c> and <c>media/{file}</c> for every picture file the database
/// lists. Pictures are stored as they are (already compressed); only the database is deflated.
/// </summary>
public static class BackupArchive
{
    public const string DatabaseEntry = "blog.db";
    public const string MediaFolderEntry = "media/";

    public static string MediaEntry(string fileName) => MediaFolderEntry + fileName;

    /// <summary>
    /// The file name inside media/ when <paramref name="entryName"/> is exactly the entry a backup writes for a picture
    /// file; null otherwise (other folders, "..", backslashes, a trailing newline, upper case…).
    /// </summary>
    public static string? MediaFileName(string entryName)
    {
        if (!entryName.StartsWith(MediaFolderEntry, StringComparison.Ordinal))
        {
            return null;
        }
        var name = entryName[MediaFolderEntry.Length..];
        // Written back from its parts and compared, so only the canonical spelling of a media name passes.
        return MediaAddresses.TryParse(name, out var hash, out var width, out var format)
            && MediaAddresses.FileName(hash, width, format) == name ? name : null;
    }

    /// <summary>Whether the file starts like a zip archive (a local file header, or the end record of an empty one).</summary>
    public static bool IsZip(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length
            && head[0] == 'P' && head[1] == 'K' && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
    }

    /// <summary>
    /// Whether <paramref name="head"/> (the first <see cref="MediaSniffing.HeadLength"/> bytes or more of a file) starts
    /// as a file of that format, by the same signatures an upload is recognised by.
    /// </summary>
    public static bool StartsLike(string format, ReadOnlySpan<byte> head) => MediaSniffing.FormatOf(head) == format;

    /// <summary>
    /// Every picture file a database lists (file name → its size in bytes). A database from before pictures has no
    /// media tables, and so lists none. A row whose hash does not make a media name is left out: no address could
    /// serve it, and joined to a folder it could point anywhere.
    /// </summary>
    public static Dictionary<string, long> ListedMediaFiles(SqliteConnection connection)
    {
        const string sql = """
            SELECT m.hash, f.format, f.width, f.byte_size
            FROM media_files f
            JOIN media m ON m.id = f.media_id
            ORDER BY m.id, f.format, f.width
            """;
        var files = new Dictionary<string, long>(StringComparer.Ordinal);
        using var tables = connection.CreateCommand();
        tables.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('media', 'media_files')";
        if (Convert.ToInt64(tables.ExecuteScalar(), CultureInfo.InvariantCulture) < 2)
        {
            return files;
        }
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var (hash, format, width) = (reader.GetString(0), reader.GetString(1), reader.GetInt64(2));
            var name = format is MediaFormat.Jpeg or MediaFormat.Png or MediaFormat.WebP && width is > 0 and <= int.MaxValue
                ? MediaFileName(MediaEntry(MediaAddresses.FileName(hash, (int)width, format)))
                : null;
            if (name is not null)
            {
                files[name] = reader.GetInt64(3);
            }
        }
        return files;
    }

    /// <summary>
    /// Carries the zip's CRC-32 (the IEEE polynomial) across chunks of an entry's content. Reading an entry does not
    /// check it, so a damaged byte in a stored picture would otherwise go unnoticed.
    /// </summary>
    public static uint UpdateCrc32(uint crc, ReadOnlySpan<byte> bytes)
    {
        crc = ~crc;
        foreach (var b in bytes)
        {
            crc = Crc32Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return ~crc;
    }

    private static readonly uint[] Crc32Table = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }
        return c;
    }).ToArray();
}
