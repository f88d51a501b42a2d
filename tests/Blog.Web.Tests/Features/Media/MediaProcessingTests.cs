using System.Text;
using Blog.Web.Data;
using Blog.Web.Features.Media;
using Blog.Web.Hosting;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace Blog.Web.Tests.Features.Media;

public sealed class MediaProcessingTests : IDisposable
{
    private readonly string _dataDirectory = TestDataFolder.Create();
    private readonly MediaFiles _files;
    private readonly MediaImageProcessor _processor;

    public MediaProcessingTests()
    {
        var dataFolder = new DataFolder(_dataDirectory);
        _files = new MediaFiles(dataFolder, new MediaMemoryCache(Options.Create(new MediaOptions())), new SqliteDatabase(dataFolder));
        _processor = ProcessorWith(new MediaOptions());
    }

    public void Dispose()
    {
        _processor.Dispose();
        TestDataFolder.Delete(_dataDirectory);
    }

    [Fact]
    public async Task JpegIsStoredAtEachStandardWidthBelowItsOwnAsWebPAndJpeg()
    {
        var upload = TestImages.Jpeg(3000, 2000);

        var picture = await ProcessAcceptedAsync(upload);

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(upload))[..20], picture.Hash);
        Assert.Equal((2400, 1600, MediaFormat.Jpeg, false, false), (picture.Width, picture.Height, picture.SourceFormat, picture.HasAlpha, picture.Animated));
        Assert.Equal(
            ["480x320 jpeg", "480x320 webp", "960x640 jpeg", "960x640 webp", "1600x1067 jpeg", "1600x1067 webp", "2400x1600 jpeg", "2400x1600 webp"],
            picture.Files.Select(file => $"{file.Width}x{file.Height} {file.Format}"));
        foreach (var file in picture.Files)
        {
            var stored = ReadStored(picture.Hash, file);
            Assert.Equal(file.ByteSize, stored.Length);
            using var codec = SKCodec.Create(new MemoryStream(stored));
            Assert.Equal(file.Format == MediaFormat.WebP ? SKEncodedImageFormat.Webp : SKEncodedImageFormat.Jpeg, codec.EncodedFormat);
            Assert.Equal((file.Width, file.Height), (codec.Info.Width, codec.Info.Height));
        }
        Assert.Equal(picture.Files.Count, Directory.GetFiles(_files.Folder).Length);
    }

    [Theory]
    [InlineData("jpeg", 4000, 3000, 2400, false, 2500, 1875)] // 5/8: the 12-megapixel photo, 19 MB decoded instead of 48
    [InlineData("jpeg", 3000, 2000, 2400, false, 2625, 1750)] // 7/8
    [InlineData("jpeg", 2400, 1600, 2400, false, 2400, 1600)] // already the largest stored width
    [InlineData("jpeg", 3000, 4000, 2400, true, 1875, 2500)] // turned a quarter: its upright width is the stored height
    [InlineData("png", 4000, 3000, 2400, false, 4000, 3000)] // only JPEG's decoder scales
    public void APictureIsDecodedAtTheSmallestSizeThatStillCoversTheLargestStoredWidth(
        string format, int width, int height, int largestWidth, bool turned, int decodedWidth, int decodedHeight)
    {
        using var codec = SKCodec.Create(new MemoryStream(format == "png" ? TestImages.Png(width, height) : TestImages.Jpeg(width, height)));

        var decoded = MediaImageProcessor.DecodedSize(codec, largestWidth, turned);

        Assert.Equal((decodedWidth, decodedHeight), (decoded.Width, decoded.Height));
    }

    [Fact]
    public async Task AFourThousandPixelPhotoDecodedAtFiveEighthsIsStoredAtEveryWidthWithItsColours()
    {
        var picture = await ProcessAcceptedAsync(TestImages.Jpeg(4000, 3000));

        Assert.Equal(["480x360", "960x720", "1600x1200", "2400x1800"], picture.Files.Where(f => f.Format == MediaFormat.WebP).Select(f => $"{f.Width}x{f.Height}"));
        // The red mark in the top left eighth, the gradient's end colour in the bottom right corner, at every width.
        foreach (var file in picture.Files)
        {
            using var stored = SKBitmap.Decode(ReadStored(picture.Hash, file));
            var mark = stored.GetPixel(stored.Width / 16, stored.Height / 16);
            var corner = stored.GetPixel(stored.Width - 2, stored.Height - 2);
            Assert.True(mark.Red > 220 && mark.Green < 40 && mark.Blue < 40, $"{file.Width} {file.Format}: {mark}");
            Assert.True(Math.Abs(corner.Red - 240) < 16 && Math.Abs(corner.Green - 180) < 16 && Math.Abs(corner.Blue - 40) < 24, $"{file.Width} {file.Format}: {corner}");
        }
    }

    [Fact]
    public async Task SmallPictureIsKeptAtItsOwnWidthAndNeverEnlarged()
    {
        var picture = await ProcessAcceptedAsync(TestImages.WebP(300, 200));

        Assert.Equal(MediaFormat.WebP, picture.SourceFormat);
        Assert.Equal(["300x200 jpeg", "300x200 webp"], picture.Files.Select(file => $"{file.Width}x{file.Height} {file.Format}"));
    }

    [Fact]
    public async Task GpsPositionAndEveryOtherMetadataBlockAreGoneFromEveryStoredFile()
    {
        var upload = TestImages.JpegWithGpsAndOrientation(2000, 1200);
        Assert.True(Contains(upload, TestImages.GpsLatitudeBytes));
        Assert.True(Contains(upload, Encoding.ASCII.GetBytes(TestImages.GpsLatitudeText)));

        var picture = await ProcessAcceptedAsync(upload);

        Assert.Equal(6, picture.Files.Count);
        foreach (var file in picture.Files)
        {
            var stored = ReadStored(picture.Hash, file);
            Assert.False(Contains(stored, TestImages.GpsLatitudeBytes), $"{file.Width} {file.Format} keeps the EXIF GPS latitude");
            foreach (var trace in (string[])["Exif", "GPS", TestImages.GpsLatitudeText, "xmpmeta", "http://ns.adobe.com", "ICC_PROFILE", "iCCP", "eXIf", "ICCP", "EXIF", "XMP "])
            {
                Assert.False(Contains(stored, Encoding.ASCII.GetBytes(trace)), $"{file.Width} {file.Format} contains \"{trace}\"");
            }
            using var codec = SKCodec.Create(new MemoryStream(stored));
            Assert.Equal(SKEncodedOrigin.TopLeft, codec.EncodedOrigin);
        }
    }

    [Theory]
    [InlineData(6, 200, 400, "top right")]
    [InlineData(8, 200, 400, "bottom left")]
    [InlineData(3, 400, 200, "bottom right")]
    [InlineData(2, 400, 200, "top right")]
    [InlineData(1, 400, 200, "top left")]
    public async Task ExifOrientationIsAppliedToThePixels(ushort orientation, int width, int height, string corner)
    {
        // Stored landscape, 400 × 200, the red mark in the stored top-left corner (50 × 25). Orientation 6 is a
        // quarter turn clockwise, 8 a quarter turn back, 3 a half turn, 2 a mirror.
        var picture = await ProcessAcceptedAsync(TestImages.JpegWithGpsAndOrientation(400, 200, orientation));

        Assert.Equal((width, height), (picture.Width, picture.Height));
        using var seen = DecodeStored(picture, MediaFormat.Jpeg, width);
        Assert.Equal((width, height), (seen.Width, seen.Height));
        (int X, int Y)[] corners = [(8, 8), (width - 9, 8), (8, height - 9), (width - 9, height - 9)];
        string[] names = ["top left", "top right", "bottom left", "bottom right"];
        for (var i = 0; i < corners.Length; i++)
        {
            var pixel = seen.GetPixel(corners[i].X, corners[i].Y);
            if (names[i] == corner)
            {
                AssertRed(pixel);
            }
            else
            {
                AssertNotRed(pixel);
            }
        }
        // The mark keeps its shape turned: 25 wide and 50 high after a quarter turn, 50 × 25 otherwise.
        var (markWidth, markHeight) = width < height ? (25, 50) : (50, 25);
        var x = corner.EndsWith("left", StringComparison.Ordinal) ? markWidth + 6 : width - markWidth - 7;
        var y = corner.StartsWith("top", StringComparison.Ordinal) ? markHeight + 6 : height - markHeight - 7;
        AssertNotRed(seen.GetPixel(x, corners[names.ToList().IndexOf(corner)].Y));
        AssertNotRed(seen.GetPixel(corners[names.ToList().IndexOf(corner)].X, y));
    }

    [Fact]
    public async Task TransparentPngFallsBackToPngAndKeepsItsTransparency()
    {
        var picture = await ProcessAcceptedAsync(TestImages.Png(1000, 500, transparent: true));

        Assert.True(picture.HasAlpha);
        Assert.Equal(["480 png", "480 webp", "960 png", "960 webp", "1000 png", "1000 webp"], picture.Files.Select(file => $"{file.Width} {file.Format}"));
        foreach (var format in (string[])[MediaFormat.Png, MediaFormat.WebP])
        {
            using var stored = DecodeStored(picture, format, 480);
            Assert.InRange(stored.GetPixel(400, 200).Alpha, 1, 254);
        }
    }

    [Fact]
    public async Task PngWithAnAlphaChannelButNoTransparentPixelFallsBackToJpeg()
    {
        var picture = await ProcessAcceptedAsync(PngWithUnusedAlphaChannel(640, 480));

        Assert.False(picture.HasAlpha);
        Assert.Equal(MediaFormat.Png, picture.SourceFormat);
        Assert.Equal(["480 jpeg", "480 webp", "640 jpeg", "640 webp"], picture.Files.Select(file => $"{file.Width} {file.Format}"));
    }

    [Fact]
    public async Task AnimatedGifKeepsOnlyItsFirstFrame()
    {
        var upload = TestImages.AnimatedGif(300, 200, frames: 3);
        using (var codec = SKCodec.Create(new MemoryStream(upload)))
        {
            Assert.Equal(3, codec.FrameCount);
        }

        var picture = await ProcessAcceptedAsync(upload);

        Assert.True(picture.Animated);
        Assert.Equal(MediaFormat.Gif, picture.SourceFormat);
        foreach (var format in (string[])[MediaFormat.WebP, MediaFormat.Jpeg])
        {
            using var stored = DecodeStored(picture, format, 300);
            AssertRed(stored.GetPixel(150, 100));
            using var codec = SKCodec.Create(new MemoryStream(ReadStored(picture.Hash, picture.Files.First(file => file.Format == format))));
            Assert.Equal(1, Math.Max(1, codec.FrameCount));
        }
    }

    [Fact]
    public async Task DisplayP3PictureIsConvertedToSrgbAndStoredUntagged()
    {
        // A warm P3 colour well inside sRGB: in sRGB it needs more red and less green than the same numbers in P3.
        var upload = TestImages.DisplayP3Jpeg(600, 400, new SKColor(200, 120, 90));
        Assert.True(Contains(upload, "ICC_PROFILE"u8.ToArray()));

        var picture = await ProcessAcceptedAsync(upload);

        using var stored = DecodeStored(picture, MediaFormat.Jpeg, 480);
        var pixel = stored.GetPixel(240, 160);
        Assert.True(pixel.Red > 200 + 6 && pixel.Green < 120 - 3, $"Stored as {pixel}, as if the P3 numbers were sRGB.");
    }

    [Fact]
    public async Task DecompressionBombIsRefusedFromItsHeaderBeforeAnyDecoding()
    {
        var bomb = TestImages.PngBombHeader();
        Assert.InRange(bomb.Length, 1, 4096);

        var outcome = await _processor.ProcessAsync(new MemoryStream(bomb), CancellationToken.None);

        // Decoding it would have failed as incomplete: its data holds 64 of the 30,000 rows.
        Assert.Null(outcome.Picture);
        Assert.Equal("This picture is 30000 × 30000 pixels; the most accepted is 50 megapixels. Make it smaller and upload it again.", outcome.Error);
        Assert.Empty(Directory.GetFiles(_files.Folder));
    }

    [Theory]
    [InlineData("html renamed .jpg", "This file isn't a picture Quire accepts. Upload a JPEG, PNG, WebP or GIF picture.")]
    [InlineData("svg with script", "This file isn't a picture Quire accepts. Upload a JPEG, PNG, WebP or GIF picture.")]
    [InlineData("truncated jpeg", "This picture is incomplete: the file is cut off. Upload the whole file again.")]
    [InlineData("jpeg + html", "This file has other data hidden after the end of the picture. Save the picture again from an image editor and upload that.")]
    [InlineData("png + zip", "This file has other data hidden after the end of the picture. Save the picture again from an image editor and upload that.")]
    [InlineData("webp + zip", "This file has other data hidden after the end of the picture. Save the picture again from an image editor and upload that.")]
    [InlineData("jpeg with script comment", "This file has a script hidden inside the picture. Save the picture again from an image editor and upload that.")]
    [InlineData("png damaged inside", "This picture is damaged or incomplete and can't be read.")]
    [InlineData("jpeg magic only", "This picture is incomplete: the file is cut off. Upload the whole file again.")]
    [InlineData("empty", "The file is empty.")]
    public async Task HostileFileIsRefusedWithAClearMessageAndNothingStored(string name, string error)
    {
        var outcome = await _processor.ProcessAsync(new MemoryStream(Hostile(name)), CancellationToken.None);

        Assert.Null(outcome.Picture);
        Assert.Equal(error, outcome.Error);
        Assert.Empty(Directory.GetFiles(_files.Folder));
    }

    [Fact]
    public async Task ValidPicturesUnderTheHostileOnesAreAccepted()
    {
        foreach (var upload in (byte[][])[TestImages.Jpeg(640, 480), TestImages.Png(640, 480), TestImages.WebP(640, 480), TestImages.MultiPictureJpeg(640, 480)])
        {
            var outcome = await _processor.ProcessAsync(new MemoryStream(upload), CancellationToken.None);

            Assert.Null(outcome.Error);
        }
    }

    [Fact]
    public async Task OverSizeUploadIsRefusedWithoutReadingPastTheLimit()
    {
        using var processor = ProcessorWith(new MediaOptions { MaxFileBytes = 1024 * 1024 });
        var endless = new EndlessJpegStream();

        var outcome = await processor.ProcessAsync(endless, CancellationToken.None);

        Assert.Equal("The file is larger than 1 MB, the most a picture may be. Make it smaller and upload it again.", outcome.Error);
        Assert.Equal(1024 * 1024 + 1, endless.BytesRead);
        Assert.Empty(Directory.GetFiles(_files.Folder));
    }

    [Fact]
    public async Task PictureOverThePixelLimitIsRefused()
    {
        using var processor = ProcessorWith(new MediaOptions { MaxMegapixels = 1 });

        var outcome = await processor.ProcessAsync(new MemoryStream(TestImages.Jpeg(1001, 1000)), CancellationToken.None);

        Assert.Equal("This picture is 1001 × 1000 pixels; the most accepted is 1 megapixels. Make it smaller and upload it again.", outcome.Error);
    }

    [Fact]
    public async Task PictureTooNarrowForItsHeightIsRefused()
    {
        var outcome = await _processor.ProcessAsync(new MemoryStream(TestImages.Png(60, 17_000)), CancellationToken.None);

        Assert.Equal("This picture is 60 × 17000 pixels: too narrow for its height to be shown. Crop it and upload it again.", outcome.Error);
    }

    [Fact]
    public async Task SameUploadTwiceIsTheSamePictureAndItsFilesAreLeftAsTheyAre()
    {
        var upload = TestImages.Jpeg(1200, 800);
        var first = await ProcessAcceptedAsync(upload);
        var longAgo = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var path in Directory.GetFiles(_files.Folder))
        {
            File.SetLastWriteTimeUtc(path, longAgo);
        }

        var second = await ProcessAcceptedAsync(upload);

        Assert.Equal(first, second with { Files = first.Files });
        Assert.Equal(first.Files, second.Files);
        Assert.All(Directory.GetFiles(_files.Folder), path => Assert.Equal(longAgo, File.GetLastWriteTimeUtc(path)));
    }

    [Fact]
    public async Task TransparentPictureUploadedAgainIsStillKnownAsTransparent()
    {
        var upload = TestImages.Png(700, 300, transparent: true);
        var first = await ProcessAcceptedAsync(upload);

        var second = await ProcessAcceptedAsync(upload);

        Assert.Equal(first with { Files = [] }, second with { Files = [] });
        Assert.Equal(first.Files, second.Files);
        Assert.True(second.HasAlpha);
    }

    [Fact]
    public async Task PictureWithAFileMissingIsStoredAgainInFull()
    {
        var upload = TestImages.Jpeg(1100, 600);
        var first = await ProcessAcceptedAsync(upload);
        File.Delete(_files.PathOf(MediaAddresses.FileName(first.Hash, 960, MediaFormat.WebP)));

        var second = await ProcessAcceptedAsync(upload);

        Assert.Equal(first.Files, second.Files);
        Assert.True(File.Exists(_files.PathOf(MediaAddresses.FileName(first.Hash, 960, MediaFormat.WebP))));
    }

    [Fact]
    public async Task ConcurrentUploadsAreEachStoredWhole()
    {
        var uploads = Enumerable.Range(0, 4).Select(i => TestImages.Jpeg(1000 + i, 700)).ToList();

        var outcomes = await Task.WhenAll(uploads.Select(upload => Task.Run(() => _processor.ProcessAsync(new MemoryStream(upload), CancellationToken.None))));

        Assert.All(outcomes, outcome => Assert.Equal(6, outcome.Picture?.Files.Count));
        Assert.Equal(24, Directory.GetFiles(_files.Folder).Length);
    }

    [Fact]
    public async Task DeleteAllRemovesEveryFileOfThePictureAndNoOther()
    {
        const string hash = "0123456789abcdef0123";
        const string other = "fedcba98765432100123";
        foreach (var name in (string[])[$"{hash}-480.webp", $"{hash}-480.jpg", $"{hash}-960.png", $"{other}-480.webp", $"{hash}-480.webp.bak"])
        {
            File.WriteAllBytes(_files.PathOf(name), [1]);
        }

        await _files.DeleteAllAsync(hash, CancellationToken.None);

        Assert.Equal([$"{hash}-480.webp.bak", $"{other}-480.webp"], Directory.GetFiles(_files.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        await Assert.ThrowsAsync<ArgumentException>(() => _files.DeleteAllAsync("../../etc", CancellationToken.None));
    }

    [Theory]
    [InlineData("MaxMegapixels", "0")]
    [InlineData("MaxMegapixels", "many")]
    [InlineData("MaxFileBytes", "-1")]
    public void InvalidPictureLimitsStopTheBlogFromStarting(string limit, string value)
    {
        using var app = new BlogAppFactory { Settings = { [$"Blog:Media:{limit}"] = value } };

        var failure = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains(limit, failure.Message, StringComparison.Ordinal);
    }

    private MediaImageProcessor ProcessorWith(MediaOptions options) =>
        new(Options.Create(options), _files, NullLogger<MediaImageProcessor>.Instance);

    private async Task<ProcessedPicture> ProcessAcceptedAsync(byte[] upload)
    {
        var outcome = await _processor.ProcessAsync(new MemoryStream(upload), CancellationToken.None);
        Assert.Null(outcome.Error);
        return Assert.IsType<ProcessedPicture>(outcome.Picture);
    }

    private byte[] ReadStored(string hash, MediaFileRow file) => File.ReadAllBytes(_files.PathOf(MediaAddresses.FileName(hash, file.Width, file.Format)));

    private SKBitmap DecodeStored(ProcessedPicture picture, string format, int width) =>
        SKBitmap.Decode(ReadStored(picture.Hash, picture.Files.Single(file => file.Format == format && file.Width == width)));

    private static byte[] Hostile(string name) => name switch
    {
        "html renamed .jpg" => TestImages.HtmlRenamedJpg(),
        "svg with script" => TestImages.SvgWithScript(),
        "truncated jpeg" => TestImages.TruncatedJpeg(800, 600),
        "jpeg + html" => TestImages.JpegWithHtmlAppended(400, 300),
        "png + zip" => TestImages.PngWithZipAppended(400, 300),
        "webp + zip" => TestImages.WebPWithTrailingData(400, 300),
        "jpeg with script comment" => TestImages.JpegWithScriptInComment(400, 300),
        "png damaged inside" => DamagePngData(TestImages.Png(400, 300)),
        "jpeg magic only" => [0xFF, 0xD8, 0xFF],
        "empty" => [],
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>Overwrites the middle of the compressed pixel data: every chunk still in place, the pixels unreadable.</summary>
    private static byte[] DamagePngData(byte[] png)
    {
        var idat = png.AsSpan().IndexOf("IDAT"u8);
        png.AsSpan(idat + 10, 200).Fill(0xAB);
        return png;
    }

    private static byte[] PngWithUnusedAlphaChannel(int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(new SKColor(20, 120, 200, 255));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        var bytes = data.ToArray();
        Assert.Equal(6, bytes[25]);
        return bytes;
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private static void AssertRed(SKColor pixel) =>
        Assert.True(pixel.Red > 200 && pixel.Green < 60 && pixel.Blue < 60, $"Expected the red mark, found {pixel}.");

    private static void AssertNotRed(SKColor pixel) =>
        Assert.False(pixel.Red > 200 && pixel.Green < 60 && pixel.Blue < 60, $"Found the red mark where it should not be: {pixel}.");

    /// <summary>A JPEG's first bytes and then zeros for ever, counting what was read.</summary>
    private sealed class EndlessJpegStream : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Clear();
            for (var i = 0; i < Math.Min(3, count) && BytesRead + i < 3; i++)
            {
                buffer[offset + i] = i == 1 ? (byte)0xD8 : (byte)0xFF;
            }
            BytesRead += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
