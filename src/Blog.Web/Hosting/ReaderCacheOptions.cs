using System.ComponentModel.DataAnnotations;

namespace Blog.Web.Hosting;

/// <summary>The <c>Blog:ReaderCache</c> configuration section.</summary>
public sealed class ReaderCacheOptions
{
    public const string SectionName = "Blog:ReaderCache";

    /// <summary>
    /// How much memory (in kilobytes) may hold copies of the reader pages the output cache answers most
    /// (<see cref="ReaderPageMemory"/>); 0 leaves every anonymous read to the output cache.
    /// </summary>
    [Range(0, 1024 * 1024)]
    public int MemoryKilobytes { get; set; } = 2048;
}
