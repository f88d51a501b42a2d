using SkiaSharp;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>Real image files drawn in memory for the tests: a gradient with a mark in one corner, so orientation shows.</summary>
public static class TestImages
{
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
}
