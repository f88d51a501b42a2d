using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Blog.Web.Features.Import.Sources;

/// <summary>
/// Opens a zip that carries an export (a Google Takeout archive, a WordPress export with its uploads) without trusting
/// it: entries are never written to disk, names that climb out of the archive, too many entries, too much unpacked
/// data and entries that inflate suspiciously well (zip bombs) are refused before anything is read.
/// </summary>
internal static partial class SafeZip
{
    public const int MaxEntries = 100_000;

    /// <summary>Unpacked size of everything in the archive: a large blog's pictures fit, a bomb does not.</summary>
    public const long MaxTotalBytes = 20L * 1024 * 1024 * 1024;

    /// <summary>
    /// Text and pictures compress by a factor of 10 or 20 at most; a file that inflates 200 times is made to.
    /// Entries under <see cref="RatioFloor"/> are not judged: tiny files compress oddly and cannot hurt.
    /// </summary>
    public const int MaxRatio = 200;

    private const long RatioFloor = 1024 * 1024;

    /// <summary>Entries read (their start only) while looking for the export in an archive without Takeout's layout.</summary>
    private const int MaxSniffed = 50;

    public static IImportSource OpenExport(string path, string fileName, string? uploadsFolder)
    {
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException error)
        {
            throw new ImportRefusedException($"{fileName} looks like a zip but is damaged: it cannot be opened.", error);
        }
        try
        {
            Check(zip, fileName);
            var (feed, format) = FindExport(zip, fileName);
            IArchivePictures pictures = format switch
            {
                ExportFormat.WordPress when uploadsFolder is not null => new UploadsFolderPictures(uploadsFolder),
                ExportFormat.WordPress => new ZipUploadsPictures(zip),
                _ => new ZipAlbumPictures(zip),
            };
            return new ExportSource(format, fileName, feed.Length, feed.Open, pictures, zip);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    private static void Check(ZipArchive zip, string fileName)
    {
        if (zip.Entries.Count > MaxEntries)
        {
            throw new ImportRefusedException($"{fileName} holds {zip.Entries.Count:N0} files, more than the {MaxEntries:N0} an import reads.");
        }
        long total = 0;
        foreach (var entry in zip.Entries)
        {
            if (!IsSafeName(entry.FullName))
            {
                throw new ImportRefusedException(
                    $"{fileName} holds a file named '{Shorten(entry.FullName)}', which points outside the archive: refused.");
            }
            if (entry.Length > RatioFloor && entry.Length > entry.CompressedLength * MaxRatio)
            {
                throw new ImportRefusedException(
                    $"{fileName} holds '{Shorten(entry.FullName)}', which unpacks to {entry.Length:N0} bytes from {entry.CompressedLength:N0}: refused as a zip bomb.");
            }
            total += entry.Length;
            if (total > MaxTotalBytes)
            {
                throw new ImportRefusedException($"{fileName} unpacks to more than {MaxTotalBytes / (1024 * 1024 * 1024)} GB: refused.");
            }
        }
    }

    private static bool IsSafeName(string name)
    {
        var normalized = name.Replace('\\', '/');
        if (normalized.StartsWith('/') || normalized.Contains('\0') || (normalized.Length > 1 && normalized[1] == ':'))
        {
            return false;
        }
        return !normalized.Split('/').Any(segment => segment == "..");
    }

    private static string Shorten(string name) => name.Length > 80 ? name[..80] + "…" : name;

    /// <summary>
    /// The export inside: Takeout's <c>Blogger/Blogs/&lt;blog&gt;/feed.atom</c>, or else the one file whose content is a
    /// Blogger or WordPress export.
    /// </summary>
    private static (ZipArchiveEntry Entry, ExportFormat Format) FindExport(ZipArchive zip, string fileName)
    {
        var takeout = zip.Entries.Where(e => TakeoutFeed().IsMatch(e.FullName.Replace('\\', '/'))).ToList();
        if (takeout.Count > 1)
        {
            throw new ImportRefusedException(
                $"{fileName} holds {takeout.Count} blogs ({string.Join(", ", takeout.Select(e => BlogFolder(e.FullName)))}); import one at a time: take the others' folders out of the archive.");
        }
        var candidates = takeout.Count == 1
            ? takeout
            : zip.Entries.Where(e => e.Length > 0 && !e.FullName.EndsWith('/') && !IsPictureFolder(e.FullName)).Take(MaxSniffed).ToList();
        var found = new List<(ZipArchiveEntry, ExportFormat)>();
        ImportRefusedException? firstRefusal = null;
        foreach (var entry in candidates)
        {
            try
            {
                found.Add((entry, ImportSources.Detect(() => new CountingStream(entry.Open(), entry.Length), entry.FullName)));
            }
            catch (ImportRefusedException refusal)
            {
                firstRefusal ??= refusal;
            }
            catch (InvalidDataException error)
            {
                throw new ImportRefusedException($"{fileName} is damaged: '{Shorten(entry.FullName)}' cannot be unpacked.", error);
            }
        }
        return found.Count switch
        {
            1 => found[0],
            0 when takeout.Count == 1 && firstRefusal is not null => throw firstRefusal,
            0 => throw new ImportRefusedException($"{fileName} holds no Blogger or WordPress export."),
            _ => throw new ImportRefusedException(
                $"{fileName} holds several exports ({string.Join(", ", found.Select(f => Shorten(f.Item1.FullName)))}); import one at a time."),
        };
    }

    private static string BlogFolder(string name) => name.Replace('\\', '/').Split('/')[^2];

    private static bool IsPictureFolder(string name) => PictureFolder().IsMatch(name.Replace('\\', '/'));

    [GeneratedRegex(@"(^|/)Blogger/Blogs/[^/]+/feed\.atom$", RegexOptions.IgnoreCase)]
    private static partial Regex TakeoutFeed();

    [GeneratedRegex(@"(^|/)(Albums|uploads)/", RegexOptions.IgnoreCase)]
    private static partial Regex PictureFolder();
}
