using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace Blog.Web.Features.Media;

/// <summary>What came of processing an upload: the stored picture, or why it was refused (a sentence for the author).</summary>
public sealed record MediaProcessing
{
    public ProcessedPicture? Picture { get; init; }

    public string? Error { get; init; }

    public static MediaProcessing Refused(string error) => new() { Error = error };
}

/// <summary>A picture whose files are in the media folder; <see cref="MediaFileRow.MediaId"/> is 0 until it is saved.</summary>
public sealed record ProcessedPicture
{
    public required string Hash { get; init; }

    /// <summary>Of the largest stored file, upright.</summary>
    public int Width { get; init; }

    public int Height { get; init; }

    public required string SourceFormat { get; init; }

    public bool HasAlpha { get; init; }

    /// <summary>The upload had more than one frame; only the first is kept.</summary>
    public bool Animated { get; init; }

    public required IReadOnlyList<MediaFileRow> Files { get; init; }
}

/// <summary>
/// Turns an upload into the files the blog serves. Nothing uploaded is ever served as it came: the bytes are checked
/// by content (format, structure, size, pixel count from the header) before anything is decoded, then the first frame
/// is decoded (into sRGB), turned upright, and re-encoded at each stored width as WebP and as JPEG (PNG when it has
/// transparency). Re-encoding is what drops every metadata block (EXIF, GPS, XMP, ICC) and whatever a file hid.
/// </summary>
public sealed class MediaImageProcessor(IOptions<MediaOptions> options, MediaFiles files, ILogger<MediaImageProcessor> logger) : IDisposable
{
    private const int WebPQuality = 80;
    private const int JpegQuality = 82;

    /// <summary>WebP's largest side; a stored file taller than this could not be written.</summary>
    private const int MaxEncodedSide = 16_383;

    /// <summary>A decode takes four bytes a pixel; one at a time keeps a burst of uploads within the memory budget.</summary>
    private readonly SemaphoreSlim _decodeGate = new(1, 1);

    public void Dispose() => _decodeGate.Dispose();

    public async Task<MediaProcessing> ProcessAsync(Stream upload, CancellationToken ct)
    {
        var limits = options.Value;
        await using var scratch = files.CreateScratchFile();
        var (length, hash) = await CopyWithinLimitAsync(upload, scratch, limits.MaxFileBytes, ct);
        if (length > limits.MaxFileBytes)
        {
            return MediaProcessing.Refused(string.Create(CultureInfo.InvariantCulture,
                $"The file is larger than {FormatMegabytes(limits.MaxFileBytes)}, the most a picture may be. Make it smaller and upload it again."));
        }
        if (length == 0)
        {
            return MediaProcessing.Refused("The file is empty.");
        }

        scratch.Position = 0;
        var head = new byte[MediaSniffing.HeadLength];
        var headLength = await scratch.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        var format = MediaSniffing.FormatOf(head.AsSpan(0, headLength));
        if (format is null)
        {
            return MediaProcessing.Refused("This file isn't a picture Quire accepts. Upload a JPEG, PNG, WebP or GIF picture.");
        }
        if (CheckContent(scratch, format) is { } refusal)
        {
            return refusal;
        }

        scratch.Position = 0;
        using var codec = SKCodec.Create(scratch, out var opened);
        if (codec is null || opened != SKCodecResult.Success || !SameFormat(codec.EncodedFormat, format))
        {
            return MediaProcessing.Refused("This picture is damaged and can't be read.");
        }
        var stored = codec.Info;
        if ((long)stored.Width * stored.Height > limits.MaxPixels)
        {
            return MediaProcessing.Refused(string.Create(CultureInfo.InvariantCulture,
                $"This picture is {stored.Width} × {stored.Height} pixels; the most accepted is {limits.MaxMegapixels} megapixels. Make it smaller and upload it again."));
        }
        var turned = IsQuarterTurned(codec.EncodedOrigin);
        var sizes = StoredSizes(turned ? stored.Height : stored.Width, turned ? stored.Width : stored.Height);
        if (sizes[^1].Height > MaxEncodedSide)
        {
            return MediaProcessing.Refused(string.Create(CultureInfo.InvariantCulture,
                $"This picture is {stored.Width} × {stored.Height} pixels: too narrow for its height to be shown. Crop it and upload it again."));
        }
        var animated = codec.FrameCount > 1;
        // The same upload again (an import run twice, a second click) finds its files already there.
        if (FindStored(await files.StoredSizesAsync(hash, ct), hash, sizes) is { } existing)
        {
            return Stored(hash, format, animated, existing);
        }

        MediaProcessing rendered;
        await _decodeGate.WaitAsync(ct);
        try
        {
            rendered = Render(codec, hash, format, animated, sizes, ct);
        }
        finally
        {
            _decodeGate.Release();
        }
        // Outside the gate: the next picture may decode while these files travel to the shared store.
        if (rendered.Picture is { } picture)
        {
            await files.ShareAsync(hash, picture.Files.Select(f => MediaAddresses.FileName(hash, f.Width, f.Format)), ct);
        }
        return rendered;
    }

    /// <summary>Copies at most <paramref name="limit"/> + 1 bytes (one more says "too large" without reading the rest).</summary>
    private static async Task<(long Length, string Hash)> CopyWithinLimitAsync(Stream upload, Stream scratch, long limit, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long length = 0;
        while (length <= limit)
        {
            var wanted = (int)Math.Min(buffer.Length, limit + 1 - length);
            var read = await upload.ReadAsync(buffer.AsMemory(0, wanted), ct);
            if (read == 0)
            {
                break;
            }
            sha.AppendData(buffer, 0, read);
            await scratch.WriteAsync(buffer.AsMemory(0, read), ct);
            length += read;
        }
        await scratch.FlushAsync(ct);
        return (length, Convert.ToHexStringLower(sha.GetHashAndReset())[..20]);
    }

    private static MediaProcessing? CheckContent(Stream scratch, string format)
    {
        scratch.Position = 0;
        var structure = MediaSniffing.CheckStructure(scratch, format);
        scratch.Position = 0;
        if (structure == MediaStructure.Whole && MediaSniffing.ContainsScriptTag(scratch))
        {
            return MediaProcessing.Refused("This file has a script hidden inside the picture. Save the picture again from an image editor and upload that.");
        }
        return structure switch
        {
            MediaStructure.Whole => null,
            MediaStructure.Truncated => MediaProcessing.Refused("This picture is incomplete: the file is cut off. Upload the whole file again."),
            MediaStructure.TrailingData => MediaProcessing.Refused("This file has other data hidden after the end of the picture. Save the picture again from an image editor and upload that."),
            _ => MediaProcessing.Refused("This picture is damaged and can't be read."),
        };
    }

    private static bool SameFormat(SKEncodedImageFormat encoded, string format) => (encoded, format) switch
    {
        (SKEncodedImageFormat.Jpeg, MediaFormat.Jpeg) or (SKEncodedImageFormat.Png, MediaFormat.Png) => true,
        (SKEncodedImageFormat.Gif, MediaFormat.Gif) or (SKEncodedImageFormat.Webp, MediaFormat.WebP) => true,
        _ => false,
    };

    /// <summary>Each stored width with its height, smallest first; heights from the upright size, so no step's rounding adds up.</summary>
    private static List<(int Width, int Height)> StoredSizes(int uprightWidth, int uprightHeight) =>
        [.. MediaAddresses.WidthsFor(uprightWidth).Select(width =>
            (width, Math.Max(1, (int)Math.Round((double)uprightHeight * width / uprightWidth, MidpointRounding.AwayFromZero))))];

    private static List<MediaFileRow>? FindStored(IReadOnlyDictionary<string, long> stored, string hash, List<(int Width, int Height)> sizes)
    {
        var fallback = stored.ContainsKey(MediaAddresses.FileName(hash, sizes[0].Width, MediaFormat.Png)) ? MediaFormat.Png : MediaFormat.Jpeg;
        var rows = new List<MediaFileRow>(sizes.Count * 2);
        foreach (var (width, height) in sizes)
        {
            foreach (var format in (string[])[MediaFormat.WebP, fallback])
            {
                if (!stored.TryGetValue(MediaAddresses.FileName(hash, width, format), out var size))
                {
                    return null;
                }
                rows.Add(new MediaFileRow { Format = format, Width = width, Height = height, ByteSize = size });
            }
        }
        return rows;
    }

    private MediaProcessing Render(SKCodec codec, string hash, string format, bool animated, List<(int Width, int Height)> sizes, CancellationToken ct)
    {
        var decoded = Decode(codec, sizes[^1].Width, IsQuarterTurned(codec.EncodedOrigin));
        if (decoded is null)
        {
            return MediaProcessing.Refused("This picture is damaged or incomplete and can't be read.");
        }
        // Each size is made from the one before, and the one before is let go as soon as the next exists: the
        // decoded picture itself goes once the largest size is made, so at most two sizes are held at a time.
        var current = Upright(decoded, codec.EncodedOrigin);
        var fallback = MediaFormat.Fallback(HasTransparentPixels(current));
        var rows = new List<MediaFileRow>(sizes.Count * 2);
        try
        {
            // Largest first, each from the one before: a few small steps keep more detail than one big one.
            foreach (var (width, height) in Enumerable.Reverse(sizes))
            {
                ct.ThrowIfCancellationRequested();
                var next = Downscale(current, width, height);
                if (next != current)
                {
                    current.Dispose();
                    current = next;
                }
                rows.Add(Store(current, hash, MediaFormat.WebP));
                rows.Add(Store(current, hash, fallback));
            }
        }
        finally
        {
            current.Dispose();
        }
        logger.LogInformation("Stored picture {Hash} ({Format}, {Width}×{Height}) in {Files} files.", hash, format, rows[0].Width, rows[0].Height, rows.Count);
        return Stored(hash, format, animated, rows);
    }

    private static MediaProcessing Stored(string hash, string format, bool animated, List<MediaFileRow> rows)
    {
        var largest = rows.MaxBy(row => row.Width)!;
        return new MediaProcessing
        {
            Picture = new ProcessedPicture
            {
                Hash = hash,
                Width = largest.Width,
                Height = largest.Height,
                SourceFormat = format,
                HasAlpha = rows.Any(row => row.Format == MediaFormat.Png),
                Animated = animated,
                Files = [.. rows.OrderBy(row => row.Width).ThenBy(row => row.Format, StringComparer.Ordinal)],
            },
        };
    }

    /// <summary>Decodes the first frame into sRGB, at <see cref="DecodedSize"/>.</summary>
    private static SKBitmap? Decode(SKCodec codec, int largestWidth, bool turned)
    {
        var size = DecodedSize(codec, largestWidth, turned);
        var alpha = codec.Info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul;
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, alpha, SKColorSpace.CreateSrgb());
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels(), new SKCodecOptions(0));
        if (result != SKCodecResult.Success)
        {
            // IncompleteInput too: the structure walk found the end, but the compressed data inside ran short.
            bitmap.Dispose();
            return null;
        }
        return bitmap;
    }

    /// <summary>
    /// The smallest size the codec can decode to that is still at least the largest stored width. JPEG's decoder
    /// scales by eighths (1/8 to 7/8) inside the decompression itself, almost for free: a 12-megapixel photo
    /// (4000 × 3000) stored at most 2400 wide is decoded at 5/8, 2500 × 1875, in 19 MB instead of 48 MB. Other
    /// formats decode at their own size.
    /// </summary>
    internal static SKSizeI DecodedSize(SKCodec codec, int largestWidth, bool turned)
    {
        var size = codec.Info.Size;
        for (var eighths = 1; eighths < 8; eighths++)
        {
            var scaled = codec.GetScaledDimensions(eighths / 8f);
            if ((turned ? scaled.Height : scaled.Width) >= largestWidth && (long)scaled.Width * scaled.Height < (long)size.Width * size.Height)
            {
                return scaled;
            }
        }
        return size;
    }

    /// <summary>
    /// The picture as it is meant to be seen: the EXIF orientation applied to the pixels themselves. Takes
    /// <paramref name="decoded"/> over: returns it, or releases it once the turned copy is drawn.
    /// </summary>
    private static SKBitmap Upright(SKBitmap decoded, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft || !Enum.IsDefined(origin))
        {
            return decoded;
        }
        float w = decoded.Width, h = decoded.Height;
        var turned = IsQuarterTurned(origin);
        // Maps each stored pixel to where it is seen (EXIF orientations 2-8: mirrors and quarter turns).
        var transform = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
            _ => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
        };
        var info = decoded.Info.WithSize(turned ? decoded.Height : decoded.Width, turned ? decoded.Width : decoded.Height);
        var upright = new SKBitmap(info);
        using var canvas = new SKCanvas(upright);
        canvas.Clear(SKColors.Transparent);
        canvas.SetMatrix(transform);
        using (decoded)
        using (var image = SKImage.FromBitmap(decoded))
        using (var paint = new SKPaint { BlendMode = SKBlendMode.Src })
        {
            canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest), paint);
        }
        return upright;
    }

    /// <summary>EXIF orientations 5-8 swap width and height.</summary>
    private static bool IsQuarterTurned(SKEncodedOrigin origin) => origin is >= SKEncodedOrigin.LeftTop and <= SKEncodedOrigin.LeftBottom;

    /// <summary>Whether any pixel is not fully opaque; a PNG may declare an alpha channel it never uses.</summary>
    private static bool HasTransparentPixels(SKBitmap bitmap)
    {
        if (bitmap.AlphaType == SKAlphaType.Opaque)
        {
            return false;
        }
        var pixels = bitmap.GetPixelSpan();
        for (var alpha = 3; alpha < pixels.Length; alpha += 4)
        {
            if (pixels[alpha] != 0xFF)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Halves (an exact 2×2 average) while that stays above the target, then one cubic step to the exact size.</summary>
    private static SKBitmap Downscale(SKBitmap source, int width, int height)
    {
        if (source.Width == width && source.Height == height)
        {
            return source;
        }
        var current = source;
        while (current.Width >= width * 2 && current.Height >= height * 2)
        {
            var half = current.Resize(current.Info.WithSize(current.Width / 2, current.Height / 2), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
            if (current != source)
            {
                current.Dispose();
            }
            current = half;
        }
        var result = current.Resize(current.Info.WithSize(width, height), new SKSamplingOptions(SKCubicResampler.Mitchell));
        if (current != source)
        {
            current.Dispose();
        }
        return result;
    }

    private MediaFileRow Store(SKBitmap bitmap, string hash, string format)
    {
        // Untagged pixels are sRGB by definition, and an untagged file carries no ICC profile.
        using var pixmap = new SKPixmap(bitmap.Info.WithColorSpace(null), bitmap.GetPixels(), bitmap.RowBytes);
        using var data = format switch
        {
            MediaFormat.WebP => pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, WebPQuality)),
            MediaFormat.Jpeg => pixmap.Encode(new SKJpegEncoderOptions(JpegQuality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)),
            _ => pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 6)),
        } ?? throw new InvalidOperationException($"The {format} encoder produced nothing for a {bitmap.Width}×{bitmap.Height} picture.");
        var size = files.WriteIfMissing(MediaAddresses.FileName(hash, bitmap.Width, format), data.AsSpan());
        return new MediaFileRow { Format = format, Width = bitmap.Width, Height = bitmap.Height, ByteSize = size };
    }

    private static string FormatMegabytes(long bytes) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.#} MB");
}
