using System.ComponentModel.DataAnnotations;

namespace Blog.Web.Features.Media;

/// <summary>The <c>Blog:Media</c> configuration section: what an upload may weigh before it is even looked at.</summary>
public sealed class MediaOptions
{
    public const string SectionName = "Blog:Media";

    /// <summary>The largest upload accepted, in bytes; reading stops one byte past it.</summary>
    [Range(1024, 1L << 30)]
    public long MaxFileBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>
    /// The most pixels (width × height, in millions) a picture may have. Checked from the file's header, before any
    /// decoding: decoding needs four bytes a pixel, so this bounds the memory one upload can take.
    /// </summary>
    [Range(1, 200)]
    public int MaxMegapixels { get; set; } = 50;

    public long MaxPixels => MaxMegapixels * 1_000_000L;

    /// <summary>
    /// How much memory (in megabytes) may hold the picture files readers ask for most, so they are served without
    /// touching the disk; 0 serves every file from disk. Part of the process's memory, so kept small by default.
    /// </summary>
    [Range(0, 4096)]
    public int MemoryCacheMegabytes { get; set; } = 16;
}
