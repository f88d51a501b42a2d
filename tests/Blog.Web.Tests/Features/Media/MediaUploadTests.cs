using System.Net;
using System.Text;
using System.Text.Json;
using Blog.Web.Content;
using Blog.Web.Features.Media;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Media;

/// <summary>The blog with a small per-file limit, so a file over it is cheap to send.</summary>
public sealed class SmallUploadLimitAppFactory : BlogAppFactory
{
    public const int MaxFileBytes = 2 * 1024 * 1024;

    public SmallUploadLimitAppFactory()
    {
        Settings["Blog:Media:MaxFileBytes"] = MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>POST /admin/media: the plain form's answer (a page with the Markdown) and the editor's (JSON), and every refusal.</summary>
public sealed class MediaUploadTests(SmallUploadLimitAppFactory app) : IClassFixture<SmallUploadLimitAppFactory>
{
    [Fact]
    public async Task AuthorUploadsAJpegAndEveryFileItListsIsServed()
    {
        var (client, author) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = client;
        var jpeg = TestImages.Jpeg(2000, 1500);

        using var response = await MediaLibraryTestData.UploadAsync(client, jpeg, "holiday.jpg", "Sea and sky at dusk");
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var db = app.OpenDatabase();
        var media = db.QuerySingle<MediaRow>("SELECT * FROM media WHERE file_name = 'holiday.jpg'");
        Assert.Equal(("Sea and sky at dusk", false, author.Id, 2000, 1500), (media.AltText, media.Decorative, media.UploadedBy, media.Width, media.Height));
        var files = db.Query<MediaFileRow>("SELECT * FROM media_files WHERE media_id = @Id", new { media.Id }).ToList();
        Assert.Equal([480, 480, 960, 960, 1600, 1600, 2000, 2000], files.Select(f => f.Width).Order());
        Assert.Equal(4, files.Count(f => f.Format == MediaFormat.WebP));
        Assert.Equal(4, files.Count(f => f.Format == MediaFormat.Jpeg));
        Assert.Equal($"![Sea and sky at dusk](/media/{media.Hash}-1600.jpg)", page.QuerySelector("#markdown")?.TextContent);
        Assert.Equal("Picture added", page.QuerySelector("h1")?.TextContent);
        var uploader = db.QuerySingle<string>("SELECT display_name FROM members WHERE id = @Id", new { Id = author.Id });
        Assert.Contains($"by {uploader}", page.QuerySelector("main")?.TextContent, StringComparison.Ordinal);
        foreach (var file in files)
        {
            using var served = await client.GetAsync(MediaAddresses.PathOf(media.Hash, file.Width, file.Format));
            var bytes = await served.Content.ReadAsByteArrayAsync();
            Assert.True(served.StatusCode == HttpStatusCode.OK, $"{file.Format} {file.Width} answered {(int)served.StatusCode}");
            Assert.Equal(MediaFormat.ContentType(file.Format), served.Content.Headers.ContentType?.MediaType);
            Assert.Equal(file.ByteSize, bytes.Length);
            using var decoded = SkiaSharp.SKBitmap.Decode(bytes);
            Assert.Equal((file.Width, file.Height), (decoded.Width, decoded.Height));
        }
        foreach (var img in page.QuerySelectorAll("main img, main source"))
        {
            var url = img.GetAttribute("src") ?? img.GetAttribute("srcset")!;
            using var served = await client.GetAsync(url);
            Assert.True(served.StatusCode == HttpStatusCode.OK, $"The page shows {url}, which answered {(int)served.StatusCode}");
        }
    }

    [Fact]
    public async Task TheEditorsScriptGetsJsonWithTheMarkdownAndFiles()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var signedIn = client;

        using var response = await MediaLibraryTestData.UploadAsync(client, TestImages.Png(700, 500, transparent: true), "logo.png", "The logo", json: true, contentType: "image/png");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var hash = root.GetProperty("hash").GetString();
        // Transparent: the fallback is PNG; 700 wide: stored at 480 and 700, and the Markdown names the widest.
        Assert.Equal($"![The logo](/media/{hash}-700.png)", root.GetProperty("markdown").GetString());
        Assert.True(root.GetProperty("id").GetInt64() > 0);
        var urls = root.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("url").GetString()).Order().ToList();
        Assert.Equal([$"/media/{hash}-480.png", $"/media/{hash}-480.webp", $"/media/{hash}-700.png", $"/media/{hash}-700.webp"], urls);
    }

    [Fact]
    public async Task TheSameFileTwiceIsOnePictureAndTheSecondDescriptionGoesIntoItsMarkdown()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = client;
        var jpeg = TestImages.Jpeg(640, 480, quality: 71);

        using var first = await MediaLibraryTestData.UploadAsync(client, jpeg, "first.jpg", "First words", json: true);
        using var second = await MediaLibraryTestData.UploadAsync(client, jpeg, "second.jpg", "Other words", json: true);
        using var page = await MediaLibraryTestData.UploadAsync(client, jpeg, "third.jpg", "Third words");
        using var firstJson = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        using var secondJson = JsonDocument.Parse(await second.Content.ReadAsStringAsync());

        var id = firstJson.RootElement.GetProperty("id").GetInt64();
        Assert.Equal(id, secondJson.RootElement.GetProperty("id").GetInt64());
        Assert.StartsWith("![Other words](/media/", secondJson.RootElement.GetProperty("markdown").GetString(), StringComparison.Ordinal);
        Assert.Contains("already in the library", await BlogClient.TextOfAsync(page), StringComparison.Ordinal);
        using var db = app.OpenDatabase();
        Assert.Equal(1, db.ExecuteScalar<int>("SELECT COUNT(*) FROM media WHERE id = @Id OR file_name IN ('second.jpg', 'third.jpg')", new { Id = id }));
        Assert.Equal("First words", db.ExecuteScalar<string>("SELECT alt_text FROM media WHERE id = @Id", new { Id = id }));
    }

    [Fact]
    public async Task ADecorativePictureNeedsNoDescriptionAndHasEmptyAltText()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = client;

        using var response = await MediaLibraryTestData.UploadAsync(client, TestImages.WebP(300, 200), "swirl.webp", altText: "ignored words", decorative: true, json: true, contentType: "image/webp");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var hash = json.RootElement.GetProperty("hash").GetString();
        Assert.Equal($"![](/media/{hash}-300.jpg)", json.RootElement.GetProperty("markdown").GetString());
        using var db = app.OpenDatabase();
        Assert.Equal(("", 1L), db.QuerySingle<(string, long)>("SELECT alt_text, decorative FROM media WHERE hash = @Hash", new { Hash = hash }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t  ")]
    public async Task WithoutADescriptionTheFormComesBackWithTheErrorAndNothingIsStored(string altText)
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = client;
        var before = MediaCount();

        using var response = await MediaLibraryTestData.UploadAsync(client, TestImages.Jpeg(500, 400, quality: 60), "nodesc.jpg", altText);
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Describe the picture", page.QuerySelector("#altText-error")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("true", page.QuerySelector("#altText")?.GetAttribute("aria-invalid"));
        Assert.Equal(before, MediaCount());
    }

    [Fact]
    public async Task ATooLongDescriptionIsRefusedAndKeptAsTyped()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = client;
        var typed = string.Concat(Enumerable.Repeat("Long words é ", 100));

        using var response = await MediaLibraryTestData.UploadAsync(client, TestImages.Jpeg(500, 400, quality: 61), "long.jpg", typed);
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("1,000 characters", page.QuerySelector("#altText-error")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(typed, page.QuerySelector("#altText")?.TextContent);
    }

    public static TheoryData<string, byte[]> NotPictures() => new()
    {
        { "page.jpg", Encoding.UTF8.GetBytes("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>") },
        { "drawing.jpg", Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>") },
        { "empty-ish.png", [0x89, 0x50, 0x4E, 0x47] },
        { "cut.jpg", TestImages.Jpeg(800, 600)[..2000] },
    };

    [Theory]
    [MemberData(nameof(NotPictures))]
    public async Task WhatIsNotAPictureIsRefusedWithAMessageInTheFormAndAsJson(string fileName, byte[] bytes)
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = client;
        var before = MediaCount();

        using var page = await MediaLibraryTestData.UploadAsync(client, bytes, fileName, "Not really a picture");
        var form = BlogClient.Parse(await page.Content.ReadAsStringAsync());
        using var json = await MediaLibraryTestData.UploadAsync(client, bytes, fileName, "Not really a picture", json: true);
        var text = await json.Content.ReadAsStringAsync();
        Assert.True(text.StartsWith('{'), $"{(int)json.StatusCode} {json.Content.Headers.ContentType} {text[..Math.Min(3000, text.Length)]}");
        using var answer = JsonDocument.Parse(text);

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(form.QuerySelector("#file-error")?.TextContent), "No message beside the file field.");
        Assert.Equal("Not really a picture", form.QuerySelector("#altText")?.TextContent);
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Equal("file", answer.RootElement.GetProperty("field").GetString());
        Assert.False(string.IsNullOrWhiteSpace(answer.RootElement.GetProperty("error").GetString()));
        Assert.Equal(before, MediaCount());
    }

    [Fact]
    public async Task AFileOverTheLimitIsRefusedBeforeItIsReadWithTheLimitInTheMessage()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = client;
        var huge = new byte[SmallUploadLimitAppFactory.MaxFileBytes + MediaController.FormOverheadBytes + 1];
        TestImages.Jpeg(100, 100).CopyTo(huge, 0);

        using var page = await MediaLibraryTestData.UploadAsync(client, huge, "huge.jpg", "Too big");
        using var json = await MediaLibraryTestData.UploadAsync(client, huge, "huge.jpg", "Too big", json: true);
        using var answer = JsonDocument.Parse(await json.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, page.StatusCode);
        Assert.Contains("larger than 2 MB", BlogClient.Parse(await page.Content.ReadAsStringAsync()).QuerySelector("#file-error")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, json.StatusCode);
        Assert.Contains("larger than 2 MB", answer.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileJustOverTheLimitInsideTheFormsAllowanceIsRefusedToo()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = client;
        var over = new byte[SmallUploadLimitAppFactory.MaxFileBytes + 10];
        TestImages.Jpeg(100, 100).CopyTo(over, 0);
        var before = MediaCount();

        using var json = await MediaLibraryTestData.UploadAsync(client, over, "over.jpg", "A bit too big", json: true);

        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Equal(before, MediaCount());
    }

    [Fact]
    public async Task AFormWithoutAFileOrNotMultipartIsRefusedWithAMessage()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = client;

        using var noFile = await client.PostAsync("/admin/media", new Dictionary<string, string> { ["altText"] = "Kept words" }, "/admin/media");
        var page = BlogClient.Parse(await noFile.Content.ReadAsStringAsync());
        using var notAForm = await client.Http.PostAsync("/admin/media", new StringContent("{\"file\":1}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, noFile.StatusCode);
        Assert.Equal("Choose a picture to upload.", page.QuerySelector("#file-error")?.TextContent);
        Assert.Equal("Kept words", page.QuerySelector("#altText")?.TextContent);
        Assert.Equal(HttpStatusCode.BadRequest, notAForm.StatusCode);
    }

    [Fact]
    public async Task HostileFileNamesAndDescriptionsAreStoredCleanAndTheMarkdownKeepsTheWords()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = client;
        var name = "C:\\Users\\me\\..\\" + new string('é', 300) + "\u0001\u202E.jpg";
        const string altText = "A [bracketed] *star*, a \\ back\\slash,\r\n<b>bold</b> & `code` | pipe ) end\u0007";

        using var response = await MediaLibraryTestData.UploadAsync(client, TestImages.Jpeg(320, 240, quality: 77), name, altText, json: true);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var markdown = json.RootElement.GetProperty("markdown").GetString()!;
        var rendered = await app.Services.GetRequiredService<PostRenderer>().RenderAsync(markdown);
        var img = BlogClient.Parse(rendered.Body!.Html).QuerySelector("img");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var db = app.OpenDatabase();
        var stored = db.QuerySingle<(string FileName, string AltText)>("SELECT file_name, alt_text FROM media WHERE id = @Id", new { Id = json.RootElement.GetProperty("id").GetInt64() });
        Assert.Equal(MediaCommands.FileNameMaxLength, stored.FileName.Length);
        Assert.DoesNotContain('\\', stored.FileName);
        Assert.DoesNotContain(stored.FileName, char.IsControl);
        const string oneLine = "A [bracketed] *star*, a \\ back\\slash, <b>bold</b> & `code` | pipe ) end";
        Assert.Equal(oneLine, stored.AltText);
        Assert.Equal(oneLine, img?.GetAttribute("alt"));
    }

    private int MediaCount()
    {
        using var db = app.OpenDatabase();
        return db.ExecuteScalar<int>("SELECT COUNT(*) FROM media");
    }
}
