using System.Net;
using System.Net.Http.Headers;
using Blog.Web.Features.Media;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Media;

/// <summary>Picture files served from memory answer exactly as the static-file middleware does, and never outlive their picture.</summary>
public sealed class MediaMemoryCacheTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    [Fact]
    public async Task AFileServedFromMemoryHasTheBytesAndValidatorsOfTheFileOnDisk()
    {
        var picture = await StoreAsync(app, TestImages.Jpeg(720, 480));
        var name = MediaAddresses.FileName(picture.Hash, 720, MediaFormat.WebP);
        using var client = app.CreateClient();

        using var first = await client.GetAsync("/media/" + name);
        var held = Memory(app).Bytes;
        using var second = await client.GetAsync("/media/" + name);
        // A range request is left to the static-file middleware: its validators are the reference.
        using var ranged = new HttpRequestMessage(HttpMethod.Get, "/media/" + name);
        ranged.Headers.Range = new RangeHeaderValue(0, 9);
        using var fromDisk = await client.SendAsync(ranged);

        Assert.True(held >= new FileInfo(Path.Combine(app.DataDirectory, "media", name)).Length);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(app.DataDirectory, "media", name)), await second.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/webp", second.Content.Headers.ContentType?.ToString());
        Assert.Equal("bytes", Assert.Single(second.Headers.AcceptRanges));
        // The second answer came from the early path, ahead of the middleware that sets these on every other response.
        Assert.Equal("nosniff", Assert.Single(second.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(Blog.Web.Hosting.SecurityHeaders.ContentSecurityPolicy, Assert.Single(second.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("DENY", Assert.Single(second.Headers.GetValues("X-Frame-Options")));
        Assert.Equal(HttpStatusCode.PartialContent, fromDisk.StatusCode);
        Assert.Equal(fromDisk.Headers.ETag, second.Headers.ETag);
        Assert.Equal(fromDisk.Content.Headers.LastModified, second.Content.Headers.LastModified);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
    }

    [Theory]
    [InlineData("exact")]
    [InlineData("weak")]
    [InlineData("any")]
    [InlineData("among others")]
    public async Task AReaderWithTheFileIsToldItIsNotModified(string ifNoneMatch)
    {
        var picture = await StoreAsync(app, TestImages.Jpeg(730, 480));
        var address = MediaAddresses.PathOf(picture.Hash, 730, MediaFormat.Jpeg);
        using var client = app.CreateClient();
        using var first = await client.GetAsync(address);
        var tag = first.Headers.ETag!.Tag;
        using var again = new HttpRequestMessage(HttpMethod.Get, address);
        again.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch switch
        {
            "exact" => tag,
            "weak" => "W/" + tag,
            "any" => "*",
            _ => $"\"other\", {tag}",
        });

        using var response = await client.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.Headers.ETag, response.Headers.ETag);
        Assert.Equal("public, max-age=31536000, immutable", string.Join(", ", response.Headers.GetValues("Cache-Control")));
    }

    [Fact]
    public async Task AnOtherTagOrAnOlderDateGetsTheFile()
    {
        var picture = await StoreAsync(app, TestImages.Jpeg(740, 480));
        var address = MediaAddresses.PathOf(picture.Hash, 740, MediaFormat.Jpeg);
        using var client = app.CreateClient();
        using var first = await client.GetAsync(address);
        using var otherTag = new HttpRequestMessage(HttpMethod.Get, address);
        otherTag.Headers.TryAddWithoutValidation("If-None-Match", "\"not-this-one\"");
        using var olderDate = new HttpRequestMessage(HttpMethod.Get, address);
        olderDate.Headers.IfModifiedSince = first.Content.Headers.LastModified!.Value.AddDays(-1);
        using var sameDate = new HttpRequestMessage(HttpMethod.Get, address);
        sameDate.Headers.IfModifiedSince = first.Content.Headers.LastModified;

        using var withOtherTag = await client.SendAsync(otherTag);
        using var withOlderDate = await client.SendAsync(olderDate);
        using var withSameDate = await client.SendAsync(sameDate);

        Assert.Equal(HttpStatusCode.OK, withOtherTag.StatusCode);
        Assert.Equal(first.Content.Headers.ContentLength, (await withOtherTag.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal(HttpStatusCode.OK, withOlderDate.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, withSameDate.StatusCode);
    }

    [Fact]
    public async Task ADeletedPictureIsNoLongerServedFromMemory()
    {
        var picture = await StoreAsync(app, TestImages.Jpeg(750, 480));
        var address = MediaAddresses.PathOf(picture.Hash, 750, MediaFormat.WebP);
        using var client = app.CreateClient();
        using var before = await client.GetAsync(address);

        await app.Services.GetRequiredService<MediaFiles>().DeleteAllAsync(picture.Hash, CancellationToken.None);
        using var after = await client.GetAsync(address);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task TheMemoryStaysWithinItsBudgetAndKeepsTheFilesAskedForLast()
    {
        using var small = new BlogAppFactory { Settings = { ["Blog:Media:MemoryCacheMegabytes"] = "1" } };
        using var client = small.CreateClient();
        // Serving looks only at names, so files of random bytes stand in for pictures: eight of 300 KB pass 1 MB.
        var names = Enumerable.Range(0, 8).Select(i => MediaAddresses.FileName($"{i:x2}" + new string('a', 18), 960, MediaFormat.WebP)).ToList();
        foreach (var name in names)
        {
            await File.WriteAllBytesAsync(Path.Combine(small.DataDirectory, "media", name), Random.Shared.GetItems<byte>([.. Enumerable.Range(0, 256).Select(b => (byte)b)], 300 * 1024));
        }

        foreach (var name in names)
        {
            using var response = await client.GetAsync("/media/" + name);
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(small.DataDirectory, "media", name)), await response.Content.ReadAsByteArrayAsync());
            Assert.InRange(Memory(small).Bytes, 300 * 1024, 1024 * 1024);
        }
        // With the files gone from disk, only memory can answer: it kept the newest and let the oldest go.
        File.Delete(Path.Combine(small.DataDirectory, "media", names[0]));
        File.Delete(Path.Combine(small.DataDirectory, "media", names[^1]));
        using var newest = await client.GetAsync("/media/" + names[^1]);
        using var oldest = await client.GetAsync("/media/" + names[0]);

        Assert.Equal(HttpStatusCode.OK, newest.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, oldest.StatusCode);
    }

    [Fact]
    public async Task WithNoMemoryEveryFileIsStillServedFromDisk()
    {
        using var none = new BlogAppFactory { Settings = { ["Blog:Media:MemoryCacheMegabytes"] = "0" } };
        var picture = await StoreAsync(none, TestImages.Jpeg(760, 480));
        using var client = none.CreateClient();

        using var response = await client.GetAsync(MediaAddresses.PathOf(picture.Hash, 760, MediaFormat.WebP));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal(0, Memory(none).Bytes);
    }

    private static MediaMemoryCache Memory(BlogAppFactory factory) => factory.Services.GetRequiredService<MediaMemoryCache>();

    private static async Task<ProcessedPicture> StoreAsync(BlogAppFactory factory, byte[] upload)
    {
        var outcome = await factory.Services.GetRequiredService<MediaImageProcessor>().ProcessAsync(new MemoryStream(upload), CancellationToken.None);
        return Assert.IsType<ProcessedPicture>(outcome.Picture);
    }
}
