using System.Runtime.InteropServices;

namespace Blog.Web.Hosting;

/// <summary>
/// Asks the C library's allocator (glibc on Linux) to hand large freed blocks straight back to the system. Native
/// code in the process, the runtime's JIT foremost while it recompiles hot methods in the first minutes under load,
/// borrows working memory from malloc in blocks of 64 KB and more; glibc keeps freed blocks in per-thread arenas,
/// and each time it frees a block it had mapped on its own it raises the size from which it does so, so freed
/// blocks would stay resident. With blocks from 64 KB up mapped on their own, freeing one gives it back.
/// </summary>
internal static class NativeHeap
{
    /// <summary>glibc's <c>M_MMAP_THRESHOLD</c> parameter for <c>mallopt</c>.</summary>
    private const int MmapThresholdParameter = -3;

    /// <summary>
    /// The JIT's working blocks are this size or larger; the small allocations of each request (SQLite's pages and
    /// statements, OpenSSL's contexts) stay in the arenas, where reuse is cheap.
    /// </summary>
    private const int LargeBlockBytes = 64 * 1024;

    /// <summary>Applies the setting; does nothing where there is no glibc to ask (Windows, macOS, musl).</summary>
    public static void ReturnLargeFreedBlocksToTheSystem()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        try
        {
            // glibc answers 1 when it took the value; a refusal leaves its own default, which is only less frugal.
            _ = MallocOption(MmapThresholdParameter, LargeBlockBytes);
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            // No glibc (musl-based Linux): nothing to tune.
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallocOption(int parameter, int value);
}
