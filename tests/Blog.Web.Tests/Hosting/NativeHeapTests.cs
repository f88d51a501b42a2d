using System.Runtime.InteropServices;
using Blog.Web.Hosting;

namespace Blog.Web.Tests.Hosting;

/// <summary>On Linux, large native blocks are mapped on their own, so freeing one gives its memory back.</summary>
public sealed class NativeHeapTests
{
    [Fact]
    public void BlocksAboveTheThresholdAreMappedOnTheirOwn()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.False(NativeHeap.ReturnLargeFreedBlocksToTheSystem());
            return;
        }

        var applied = NativeHeap.ReturnLargeFreedBlocksToTheSystem();
        // Between the blog's 64 KB and glibc's own starting threshold (128 KB, raised as mapped blocks are freed),
        // so without the setting these would come from an arena, packed one after another. With it, one may still
        // come from a free chunk another test left in an arena (the threshold applies when an arena must grow), so
        // most, not all, must be mapped on their own; packed blocks line up with a page at most once in 256.
        var blocks = Enumerable.Range(0, 16).Select(_ => Marshal.AllocHGlobal(100 * 1024)).ToList();
        try
        {
            // glibc puts a mapped block 16 bytes (its chunk header) past the start of a fresh page.
            var mappedOnTheirOwn = blocks.Count(block => (block - 16) % Environment.SystemPageSize == 0);

            Assert.True(applied, "mallopt(M_MMAP_THRESHOLD) was not accepted.");
            Assert.True(mappedOnTheirOwn >= blocks.Count / 2, $"Only {mappedOnTheirOwn} of {blocks.Count} blocks were mapped on their own.");
        }
        finally
        {
            blocks.ForEach(Marshal.FreeHGlobal);
        }
    }
}
