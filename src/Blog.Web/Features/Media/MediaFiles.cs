using Blog.Web.Hosting;

namespace Blog.Web.Features.Media;

/// <summary>
/// The pictures' files in the data folder's media/ directory. A file appears whole or not at all (written under a
/// temporary name, then renamed), and a name, being a content hash, is never rewritten once it exists.
/// </summary>
public sealed class MediaFiles(DataFolder dataFolder, MediaMemoryCache memory)
{
    /// <summary>Temporary files start with a dot, so they never parse as a media address: never served, never backed up.</summary>
    private const string TemporaryPrefix = ".";

    public string Folder => dataFolder.MediaPath;

    public string PathOf(string fileName) => Path.Combine(Folder, fileName);

    /// <summary>The size of a stored file, or null when there is none of that name.</summary>
    public long? SizeOf(string fileName)
    {
        var file = new FileInfo(PathOf(fileName));
        return file.Exists ? file.Length : null;
    }

    /// <summary>A new temporary file in the media folder, deleted when closed.</summary>
    public FileStream CreateScratchFile() =>
        new(Path.Combine(Folder, $"{TemporaryPrefix}upload-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, bufferSize: 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);

    /// <summary>
    /// Stores <paramref name="content"/> as <paramref name="fileName"/> unless that file exists already (the same
    /// upload, processed before); returns the size of the file now there.
    /// </summary>
    public long WriteIfMissing(string fileName, ReadOnlySpan<byte> content)
    {
        var target = PathOf(fileName);
        if (File.Exists(target))
        {
            return new FileInfo(target).Length;
        }
        var temporary = Path.Combine(Folder, $"{TemporaryPrefix}{fileName}.{Guid.NewGuid():N}.tmp");
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            file.Write(content);
            file.Flush(flushToDisk: true);
        }
        try
        {
            File.Move(temporary, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another upload of the same picture got there first; its file has the same content.
            File.Delete(temporary);
        }
        return new FileInfo(target).Length;
    }

    /// <summary>Deletes every stored file of the picture with this hash (each width, each format).</summary>
    public void DeleteAll(string hash)
    {
        if (hash.Length != 20 || !hash.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("Not a media hash.", nameof(hash));
        }
        foreach (var path in Directory.EnumerateFiles(Folder, hash + "-*"))
        {
            if (MediaAddresses.TryParse(Path.GetFileName(path), out var fileHash, out _, out _) && fileHash == hash)
            {
                File.Delete(path);
            }
        }
        memory.ForgetPicture(hash);
    }
}
