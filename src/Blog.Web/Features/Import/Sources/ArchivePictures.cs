using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Blog.Web.Features.Import.Sources;

/// <summary>How a picture's address in a post names the file an archive holds for it.</summary>
internal static partial class PictureAddresses
{
    /// <summary>More than any picture the media library accepts; a larger entry is not read into memory.</summary>
    public const long MaxPictureBytes = 64L * 1024 * 1024;

    /// <summary>The address's file name, decoded (Blogger's size folders such as <c>/s1600/</c> are simply not part of it).</summary>
    public static string? FileName(string address)
    {
        var path = Path(address);
        if (path is null)
        {
            return null;
        }
        var last = path.TrimEnd('/').Split('/')[^1];
        return last.Length == 0 || last is "." or ".." ? null : last;
    }

    /// <summary>
    /// The path under a WordPress uploads folder (<c>2011/01/photo.jpg</c> from <c>…/wp-content/uploads/2011/01/photo.jpg</c>,
    /// or from a WordPress.com <c>*.files.wordpress.com/2011/01/photo.jpg</c>); null for anything else or anything that
    /// climbs out of the folder.
    /// </summary>
    public static string? UploadsPath(string address)
    {
        var path = Path(address);
        if (path is null)
        {
            return null;
        }
        string relative;
        var uploads = path.IndexOf("/uploads/", StringComparison.OrdinalIgnoreCase);
        if (uploads >= 0)
        {
            relative = path[(uploads + "/uploads/".Length)..];
        }
        else if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Host.EndsWith(".files.wordpress.com", StringComparison.OrdinalIgnoreCase))
        {
            relative = path.TrimStart('/');
        }
        else
        {
            return null;
        }
        var segments = relative.Split('/');
        return relative.Length == 0 || segments.Any(s => s is "" or "." or ".." || s.Contains('\\') || s.Contains('\0')) ? null : relative;
    }

    /// <summary>WordPress's resized copy <c>name-300x200.jpg</c> → the original <c>name.jpg</c>, or null.</summary>
    public static string? Original(string relative)
    {
        var original = SizeSuffix().Replace(relative, "");
        return original == relative ? null : original;
    }

    private static string? Path(string address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }
        address = address.Trim();
        if (address.StartsWith("//", StringComparison.Ordinal))
        {
            address = "https:" + address;
        }
        string raw;
        if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            raw = uri.AbsolutePath;
        }
        else if (address.StartsWith('/'))
        {
            raw = address.Split('?', '#')[0];
        }
        else
        {
            return null;
        }
        try
        {
            return Uri.UnescapeDataString(raw);
        }
        catch (UriFormatException)
        {
            return null;
        }
    }

    /// <summary>A copy of a zip entry in memory: entries are read in turn with the feed, and checked for their size.</summary>
    public static Stream? Copy(ZipArchiveEntry entry)
    {
        if (entry.Length > MaxPictureBytes)
        {
            return null;
        }
        var copy = new MemoryStream((int)entry.Length);
        using (var source = new CountingStream(entry.Open(), entry.Length))
        {
            source.CopyTo(copy);
        }
        copy.Position = 0;
        return copy;
    }

    [GeneratedRegex(@"-\d+x\d+(?=\.[A-Za-z0-9]+$)")]
    private static partial Regex SizeSuffix();
}

/// <summary>A Takeout archive's pictures, in <c>Albums/</c>, found by file name.</summary>
internal sealed class ZipAlbumPictures(ZipArchive zip) : IArchivePictures
{
    private Dictionary<string, ZipArchiveEntry?>? _byName;

    public Stream? Open(string address)
    {
        var name = PictureAddresses.FileName(address);
        if (name is null)
        {
            return null;
        }
        _byName ??= Index();
        // Two albums holding the same name: which one the post shows cannot be told, so neither is guessed.
        return _byName.TryGetValue(name, out var entry) && entry is not null ? PictureAddresses.Copy(entry) : null;
    }

    private Dictionary<string, ZipArchiveEntry?> Index()
    {
        var byName = new Dictionary<string, ZipArchiveEntry?>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in zip.Entries)
        {
            var path = entry.FullName.Replace('\\', '/');
            if (entry.Length == 0 || !path.Split('/').SkipLast(1).Contains("Albums", StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }
            byName[entry.Name] = byName.ContainsKey(entry.Name) ? null : entry;
        }
        return byName;
    }
}

/// <summary>A WordPress export's pictures zipped with it, under <c>wp-content/uploads/</c> or <c>uploads/</c>.</summary>
internal sealed partial class ZipUploadsPictures(ZipArchive zip) : IArchivePictures
{
    private Dictionary<string, ZipArchiveEntry>? _byPath;

    public Stream? Open(string address)
    {
        var relative = PictureAddresses.UploadsPath(address);
        if (relative is null)
        {
            return null;
        }
        _byPath ??= Index();
        if (_byPath.TryGetValue(relative, out var entry)
            || (PictureAddresses.Original(relative) is { } original && _byPath.TryGetValue(original, out entry)))
        {
            return PictureAddresses.Copy(entry);
        }
        return null;
    }

    private Dictionary<string, ZipArchiveEntry> Index()
    {
        var byPath = new Dictionary<string, ZipArchiveEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in zip.Entries)
        {
            var match = UploadsEntry().Match(entry.FullName.Replace('\\', '/'));
            if (entry.Length > 0 && match.Success)
            {
                byPath.TryAdd(match.Groups[1].Value, entry);
            }
        }
        return byPath;
    }

    [GeneratedRegex(@"(?:^|/)uploads/(.+[^/])$", RegexOptions.IgnoreCase)]
    private static partial Regex UploadsEntry();
}

/// <summary>A WordPress uploads folder given alongside the export.</summary>
internal sealed class UploadsFolderPictures(string folder) : IArchivePictures
{
    private readonly string _root = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;

    public Stream? Open(string address)
    {
        var relative = PictureAddresses.UploadsPath(address);
        if (relative is null)
        {
            return null;
        }
        return OpenFile(relative) ?? (PictureAddresses.Original(relative) is { } original ? OpenFile(original) : null);
    }

    private FileStream? OpenFile(string relative)
    {
        var full = Path.GetFullPath(Path.Combine(_root, relative));
        // UploadsPath already refuses "..": this holds even if that ever changes.
        if (!full.StartsWith(_root, StringComparison.Ordinal) || !File.Exists(full))
        {
            return null;
        }
        return File.OpenRead(full);
    }
}
