using System.Net;
using System.Net.Http.Headers;
using Blog.Web.Features.Media;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Media;

public sealed class MediaServingTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    [Theory]
    [InlineData(MediaFormat.WebP, "image/webp")]
    [InlineData(MediaFormat.Jpeg, "image/jpeg")]
    public async Task StoredFileIsServedImmutableWithItsTypeAndNoSniffing(string format, string contentType)
    {
        var picture = await StoreAsync(TestImages.Jpeg(700, 500));
        var file = picture.Files.Single(f => f.Format == format && f.Width == 700);
        using var client = app.CreateClient();

        using var response = await client.GetAsync(MediaAddresses.PathOf(picture.Hash, 700, format));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", string.Join(", ", response.Headers.GetValues("Cache-Control")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.NotNull(response.Headers.ETag);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(file.ByteSize, body.Length);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(app.DataDirectory, "media", MediaAddresses.FileName(picture.Hash, 700, format))), body);
    }

    [Fact]
    public async Task TransparentPictureFallbackIsServedAsPng()
    {
        var picture = await StoreAsync(TestImages.Png(300, 300, transparent: true));
        using var client = app.CreateClient();

        using var response = await client.GetAsync(MediaAddresses.PathOf(picture.Hash, 300, MediaFormat.Png));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task RepeatedRequestWithTheETagIsAnsweredNotModified()
    {
        var picture = await StoreAsync(TestImages.Jpeg(640, 400));
        var address = MediaAddresses.PathOf(picture.Hash, 480, MediaFormat.WebP);
        using var client = app.CreateClient();
        using var first = await client.GetAsync(address);
        using var again = new HttpRequestMessage(HttpMethod.Get, address);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var response = await client.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task HeadAndRangeRequestsAreAnswered()
    {
        var picture = await StoreAsync(TestImages.Jpeg(650, 400));
        var address = MediaAddresses.PathOf(picture.Hash, 650, MediaFormat.Jpeg);
        var size = picture.Files.Single(f => f.Format == MediaFormat.Jpeg && f.Width == 650).ByteSize;
        using var client = app.CreateClient();

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, address));
        using var ranged = new HttpRequestMessage(HttpMethod.Get, address);
        ranged.Headers.Range = new RangeHeaderValue(0, 99);
        using var part = await client.SendAsync(ranged);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(size, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(100, (await part.Content.ReadAsByteArrayAsync()).Length);
    }

    [Theory]
    [InlineData("/media")]
    [InlineData("/media/")]
    [InlineData("/media/blog.db")]
    [InlineData("/media/page.html")]
    [InlineData("/media/%2e%2e/blog.db")]
    [InlineData("/media/..%2fblog.db")]
    [InlineData("/media/%2e%2e%2f%2e%2e%2fetc%2fpasswd")]
    [InlineData("/media/.upload-0123.tmp")]
    [InlineData("/media/{hash}-480.webp/")]
    [InlineData("/media/{hash}-480.webp%20")]
    [InlineData("/media/{hash}-480.webp.")]
    [InlineData("/media/{hash}-480.WEBP")]
    [InlineData("/media/{HASH}-480.webp")]
    [InlineData("/MEDIA/{hash}-480.webp")]
    [InlineData("/media/{hash}-0480.webp")]
    [InlineData("/media/{hash}-480.gif")]
    [InlineData("/media/{hash}-480.svg")]
    [InlineData("/media/{hash}-960.webp")]
    [InlineData("/media/sub/{hash}-480.webp")]
    [InlineData("/media/{hash}-480.webp;.html")]
    [InlineData("/media/%C3%A9t%C3%A9-480.jpg")]
    [InlineData("/media/\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9-480.jpg")]
    [InlineData("/media/{long}-480.jpg")]
    public async Task AnythingButAStoredFileUnderMediaIsNotFound(string template)
    {
        var picture = await StoreAsync(TestImages.Jpeg(600, 300));
        // Files a plain static-file server would hand out: in the folder, but not pictures' files.
        var folder = Path.Combine(app.DataDirectory, "media");
        await File.WriteAllTextAsync(Path.Combine(folder, "page.html"), "<script>alert(1)</script>");
        await File.WriteAllTextAsync(Path.Combine(folder, ".upload-0123.tmp"), "half an upload");
        var path = template.Replace("{hash}", picture.Hash, StringComparison.Ordinal)
            .Replace("{HASH}", picture.Hash.ToUpperInvariant(), StringComparison.Ordinal)
            .Replace("{long}", new string('a', 4000), StringComparison.Ordinal);
        using var client = app.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative)));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(response.Content.Headers.ContentType?.MediaType?.StartsWith("image/", StringComparison.Ordinal));
        Assert.Null(response.Headers.CacheControl?.MaxAge);
    }

    [Fact]
    public async Task WritingToAMediaAddressIsNotFound()
    {
        var picture = await StoreAsync(TestImages.Jpeg(610, 300));
        var address = MediaAddresses.PathOf(picture.Hash, 610, MediaFormat.Jpeg);
        using var client = app.CreateClient();

        using var put = await client.PutAsync(address, new ByteArrayContent([1, 2, 3]));
        using var delete = await client.DeleteAsync(address);

        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.True(File.Exists(Path.Combine(app.DataDirectory, "media", MediaAddresses.FileName(picture.Hash, 610, MediaFormat.Jpeg))));
    }

    private async Task<ProcessedPicture> StoreAsync(byte[] upload)
    {
        var outcome = await app.Services.GetRequiredService<MediaImageProcessor>().ProcessAsync(new MemoryStream(upload), CancellationToken.None);
        return Assert.IsType<ProcessedPicture>(outcome.Picture);
    }
}
