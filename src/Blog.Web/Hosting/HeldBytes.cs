namespace Blog.Web.Hosting;

/// <summary>
/// Sends a body already held in memory (a reader page, a picture file) in as few pieces as the server allows.
/// </summary>
/// <remarks>
/// Written through <see cref="HttpResponse.Body"/>, a body goes into the connection's output pipe in blocks of
/// 4 KB, and each new block takes the pipe's lock, which the thread sending the connection's previous response
/// also takes as it gives its blocks back: under load, waiting for that lock was where a held page spent most of
/// its time. Asked for a larger piece, the pipe hands out one buffer of that size: one lock instead of one per
/// block. Pieces stay at most <see cref="LargestPiece"/>, so a burst of large pictures does not rent a buffer of
/// each one's size.
/// </remarks>
public static class HeldBytes
{
    public const int LargestPiece = 64 * 1024;

    public static async Task WriteAsync(HttpResponse response, byte[] body, CancellationToken cancellationToken)
    {
        // The headers first, on their own, so the body's first piece is not cut at the end of their block.
        await response.StartAsync(cancellationToken);
        var writer = response.BodyWriter;
        var written = 0;
        while (written < body.Length)
        {
            var memory = writer.GetMemory(Math.Min(body.Length - written, LargestPiece));
            var length = Math.Min(memory.Length, body.Length - written);
            body.AsSpan(written, length).CopyTo(memory.Span);
            writer.Advance(length);
            written += length;
        }
        await writer.FlushAsync(cancellationToken);
    }
}
