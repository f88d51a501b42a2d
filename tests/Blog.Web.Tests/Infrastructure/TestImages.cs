using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// Real image files drawn in memory for the tests: a gradient with a red mark in the top-left corner, so orientation
/// shows. Also the hostile corpus pictures must survive: metadata to strip, bombs, impostors, cut-off and polyglot files.
/// </summary>
public static class TestImages
{
    /// <summary>The GPS latitude written into <see cref="JpegWithGpsAndOrientation"/> (48° 51' 29.34"), as its EXIF bytes.</summary>
    public static readonly byte[] GpsLatitudeBytes = Rationals((48, 1), (51, 1), (2934, 100));

    /// <summary>The same position as XMP text in the same file.</summary>
    public const string GpsLatitudeText = "48,51.489N";

    public static byte[] Jpeg(int width, int height, int quality = 85) => Encode(width, height, opaque: true, SKEncodedImageFormat.Jpeg, quality);

    public static byte[] Png(int width, int height, bool transparent = false) => Encode(width, height, opaque: !transparent, SKEncodedImageFormat.Png, 100);

    public static byte[] WebP(int width, int height) => Encode(width, height, opaque: true, SKEncodedImageFormat.Webp, 80);

    private static byte[] Encode(int width, int height, bool opaque, SKEncodedImageFormat format, int quality)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, opaque ? SKAlphaType.Opaque : SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(opaque ? SKColors.White : SKColors.Transparent);
            using var gradient = new SKPaint
            {
                Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height),
                    [new SKColor(30, 90, 200, opaque ? (byte)255 : (byte)128), new SKColor(240, 180, 40)], SKShaderTileMode.Clamp),
            };
            canvas.DrawRect(0, 0, width, height, gradient);
            using var mark = new SKPaint { Color = SKColors.Red };
            canvas.DrawRect(0, 0, Math.Max(1, width / 8), Math.Max(1, height / 8), mark);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }

    /// <summary>
    /// A JPEG carrying an EXIF block (APP1) with an orientation and a GPS position, and an XMP block with the position
    /// again, built by hand as a camera writes them. Orientation 6: the stored pixels are seen turned a quarter clockwise.
    /// </summary>
    public static byte[] JpegWithGpsAndOrientation(int width, int height, ushort orientation = 6)
    {
        var exif = new byte[140];
        var tiff = exif.AsSpan();
        "II"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff[2..], 42);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff[4..], 8);
        // IFD0 at 8: the orientation and where the GPS directory is.
        BinaryPrimitives.WriteUInt16LittleEndian(tiff[8..], 2);
        WriteEntry(tiff[10..], tag: 0x0112, type: 3, count: 1, value: orientation);
        WriteEntry(tiff[22..], tag: 0x8825, type: 4, count: 1, value: 38);
        // The GPS directory at 38: N latitude and E longitude, their values at 92 and 116.
        BinaryPrimitives.WriteUInt16LittleEndian(tiff[38..], 4);
        WriteEntry(tiff[40..], tag: 0x0001, type: 2, count: 2, value: 'N');
        WriteEntry(tiff[52..], tag: 0x0002, type: 5, count: 3, value: 92);
        WriteEntry(tiff[64..], tag: 0x0003, type: 2, count: 2, value: 'E');
        WriteEntry(tiff[76..], tag: 0x0004, type: 5, count: 3, value: 116);
        GpsLatitudeBytes.CopyTo(tiff[92..]);
        Rationals((2, 1), (17, 1), (4020, 100)).CopyTo(tiff[116..]);

        var xmp = Encoding.ASCII.GetBytes(
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" +
            "<rdf:Description xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" exif:GPSLatitude=\"" + GpsLatitudeText + "\"/>" +
            "</rdf:RDF></x:xmpmeta>");
        return InsertAfterStart(Jpeg(width, height),
            Segment(0xE1, [.. "Exif\0\0"u8, .. exif]),
            Segment(0xE1, [.. "http://ns.adobe.com/xap/1.0/\0"u8, .. xmp]));
    }

    /// <summary>A JPEG with a comment segment (COM) holding a script: the structure is whole, the content is not a picture's.</summary>
    public static byte[] JpegWithScriptInComment(int width, int height) =>
        InsertAfterStart(Jpeg(width, height), Segment(0xFE, Encoding.ASCII.GetBytes("<SCRIPT>alert(document.cookie)</SCRIPT>")));

    /// <summary>A phone's Multi-Picture JPEG: a second JPEG (a gain map or preview) stored after the first one's end.</summary>
    public static byte[] MultiPictureJpeg(int width, int height) => [.. Jpeg(width, height), .. Jpeg(width / 4, height / 4)];

    /// <summary>A JPEG drawn in Display P3 (so the encoder embeds that ICC profile) with every pixel holding the given numbers as P3.</summary>
    public static byte[] DisplayP3Jpeg(int width, int height, SKColor p3Colour)
    {
        using var p3 = SKColorSpace.CreateRgb(SKColorSpaceTransferFn.Srgb, SKColorSpaceXyz.DisplayP3);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque, p3));
        // The numbers themselves, written as they are: Erase would take the colour as sRGB and convert it.
        var pixels = bitmap.GetPixelSpan();
        for (var at = 0; at < pixels.Length; at += 4)
        {
            (pixels[at], pixels[at + 1], pixels[at + 2], pixels[at + 3]) = (p3Colour.Red, p3Colour.Green, p3Colour.Blue, 255);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 95);
        return data.ToArray();
    }

    /// <summary>
    /// An animated GIF of solid frames (red, then blue, then green…), each 8-bit LZW-coded by hand: every pixel a
    /// literal code, the table cleared often enough that codes stay 9 bits wide.
    /// </summary>
    public static byte[] AnimatedGif(int width, int height, int frames = 2)
    {
        SKColor[] palette = [SKColors.Black, SKColors.Red, SKColors.Blue, SKColors.Lime];
        var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        WriteUInt16(gif, width);
        WriteUInt16(gif, height);
        gif.Write([0xF7, 0, 0]);
        for (var index = 0; index < 256; index++)
        {
            var colour = palette[index % palette.Length];
            gif.Write([colour.Red, colour.Green, colour.Blue]);
        }
        gif.Write([0x21, 0xFF, 11, .. "NETSCAPE2.0"u8, 3, 1, 0, 0, 0]);
        for (var frame = 0; frame < frames; frame++)
        {
            gif.Write([0x21, 0xF9, 4, 0, 10, 0, 0, 0]);
            gif.WriteByte(0x2C);
            WriteUInt16(gif, 0);
            WriteUInt16(gif, 0);
            WriteUInt16(gif, width);
            WriteUInt16(gif, height);
            gif.WriteByte(0);
            gif.WriteByte(8);
            WriteSubBlocks(gif, LiteralLzw(width * height, (byte)(1 + (frame % 3))));
        }
        gif.WriteByte(0x3B);
        return gif.ToArray();
    }

    /// <summary>
    /// A decompression bomb's header: a PNG that says it is 30,000 × 30,000 (900 megapixels, 3.6 GB once decoded) in a
    /// few hundred bytes. Its compressed data holds only the first rows, so decoding it could only fail as incomplete:
    /// a refusal for its size proves the header was judged before any decoding.
    /// </summary>
    public static byte[] PngBombHeader(int side = 30_000)
    {
        var rowBytes = 1 + (side + 7) / 8;
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(new byte[rowBytes * 64]);
        }
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, side);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), side);
        header[8] = 1;
        var png = new MemoryStream();
        png.Write([0x89, .. "PNG\r\n\u001a\n"u8]);
        WritePngChunk(png, "IHDR"u8, header);
        WritePngChunk(png, "IDAT"u8, compressed.ToArray());
        WritePngChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    public static byte[] HtmlRenamedJpg() =>
        Encoding.UTF8.GetBytes("<!DOCTYPE html><html><body><script>fetch('/admin/backup')</script></body></html>\n");

    public static byte[] SvgWithScript() => Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"100\">" +
        "<script>alert(document.domain)</script><rect width=\"100\" height=\"100\" fill=\"red\"/></svg>");

    /// <summary>A JPEG cut off part way through its compressed data, as an interrupted copy leaves it.</summary>
    public static byte[] TruncatedJpeg(int width, int height)
    {
        var whole = Jpeg(width, height);
        return whole[..(whole.Length * 2 / 3)];
    }

    /// <summary>A valid JPEG with an HTML page after its end: a browser sniffing it would find the page.</summary>
    public static byte[] JpegWithHtmlAppended(int width, int height) =>
        [.. Jpeg(width, height), .. Encoding.UTF8.GetBytes("<html><body><script>alert(1)</script></body></html>")];

    /// <summary>A valid PNG with a ZIP archive after its end (the classic GIFAR-style polyglot).</summary>
    public static byte[] PngWithZipAppended(int width, int height)
    {
        var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry("payload.html").Open();
            entry.Write("<p>not a picture</p>"u8);
        }
        return [.. Png(width, height), .. zip.ToArray()];
    }

    /// <summary>A valid WebP with bytes after the end its RIFF header declares.</summary>
    public static byte[] WebPWithTrailingData(int width, int height) => [.. WebP(width, height), .. "PK\u0003\u0004trailing"u8];

    private static byte[] Segment(byte marker, byte[] payload)
    {
        var segment = new byte[payload.Length + 4];
        segment[0] = 0xFF;
        segment[1] = marker;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment, 4);
        return segment;
    }

    private static byte[] InsertAfterStart(byte[] jpeg, params byte[][] segments) =>
        [.. jpeg[..2], .. segments.SelectMany(segment => segment), .. jpeg[2..]];

    private static void WriteEntry(Span<byte> entry, ushort tag, ushort type, uint count, uint value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(entry, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], type);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], count);
        if (type == 3)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(entry[8..], (ushort)value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], value);
        }
    }

    private static byte[] Rationals(params (uint Numerator, uint Denominator)[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 8), values[i].Numerator);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 8 + 4), values[i].Denominator);
        }
        return bytes;
    }

    private static void WriteUInt16(Stream stream, int value) => stream.Write([(byte)value, (byte)(value >> 8)]);

    /// <summary>LZW codes (9 bits, least significant first) for <paramref name="count"/> pixels of one palette index.</summary>
    private static byte[] LiteralLzw(int count, byte index)
    {
        const int clear = 256, end = 257;
        var output = new List<byte>();
        int buffer = 0, bits = 0;
        void Emit(int code)
        {
            buffer |= code << bits;
            bits += 9;
            while (bits >= 8)
            {
                output.Add((byte)buffer);
                buffer >>= 8;
                bits -= 8;
            }
        }
        for (var pixel = 0; pixel < count; pixel++)
        {
            // Each literal after the first adds a table entry; clearing well before 512 keeps the width at 9 bits.
            if (pixel % 200 == 0)
            {
                Emit(clear);
            }
            Emit(index);
        }
        Emit(end);
        if (bits > 0)
        {
            output.Add((byte)buffer);
        }
        return [.. output];
    }

    private static void WriteSubBlocks(Stream stream, byte[] data)
    {
        for (var at = 0; at < data.Length; at += 255)
        {
            var length = Math.Min(255, data.Length - at);
            stream.WriteByte((byte)length);
            stream.Write(data, at, length);
        }
        stream.WriteByte(0);
    }

    private static void WritePngChunk(Stream png, ReadOnlySpan<byte> type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        png.Write(type);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32([.. type, .. data]));
        png.Write(number);
    }

    /// <summary>The CRC-32 PNG chunks end with (the zlib polynomial, bit by bit: these files are small).</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var value in bytes)
        {
            crc ^= value;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }
}
