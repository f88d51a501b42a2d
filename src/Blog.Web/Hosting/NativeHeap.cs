using System.Runtime.InteropServices;

namespace Blog.Web.Hosting;

/// <summary>
/// Asks the C library's allocator (glibc on Linux) to hand large freed blocks straight back to the system. While
/// .NET compiles hot methods in the background it borrows working memory from malloc in blocks of tens to hundreds
/// of kilobytes; glibc keeps freed blocks in per-thread arenas for reuse and, past its default threshold, raises the
/// threshold as blocks are freed. Under the benchmark's load the blog then carried 10–16 MB of freed but resident
/// native memory. Above this size glibc now maps each block on its own and unmaps it when freed.
/// </summary>
internal static class NativeHeap
{
    /// <summary>glibc's <c>M_MMAP_THRESHOLD</c> parameter for <c>mallopt</c>.</summary>
    private const int MmapThresholdParameter = -3;

    /// <summary>
    /// Small enough for the JIT's blocks, large enough that the blog's own per-request native allocations (SQLite
    /// pages and statements, socket buffers) stay in the arenas.
    /// </summary>
    internal const int LargeBlockBytes = 64 * 1024;

    /// <summary>Applies the setting; false where there is no glibc to ask (Windows, macOS, musl).</summary>
    public static bool ReturnLargeFreedBlocksToTheSystem()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            return MallocOption(MmapThresholdParameter, LargeBlockBytes) == 1;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallocOption(int parameter, int value);
}
