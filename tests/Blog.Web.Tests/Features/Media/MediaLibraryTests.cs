using System.Net;
using Blog.Web.Data;
using Blog.Web.Features.Media;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Media;

/// <summary>/admin/media: what it lists and how it pages, who may re-describe or delete a picture, and the editor's cover choice.</summary>
public sealed class MediaLibraryTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    // SQLite by nature: records statements with SQLite's trace hook and reads SQLite's query plan.
    [Trait("Database", "Sqlite")]
    [Fact]
    public async Task TheLibraryListsNewestFirstAPageAtATimeAndADeepPageIsASeekInTheIndex()
    {
        var (client, owner) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var signedIn = client;
        // Far in the future, so these are the newest whatever else this class adds.
        var start = new DateTime(2099, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var ids = Enumerable.Range(0, 30).Select(i => PictureSeeder.Insert(app, new PictureSeed { UploadedBy = owner.Id, UploadedAt = start.AddMinutes(i), AltText = $"Picture number {i}", WithFiles = false }).Id).ToList();
        var newestFirst = Enumerable.Reverse(ids).ToList();

        var first = await client.GetPageAsync("/admin/media");
        var olderLink = first.QuerySelector("a[rel=next]")?.GetAttribute("href");
        var garbage = await client.GetPageAsync("/admin/media?before=12-x");
        AngleSharp.Html.Dom.IHtmlDocument second = null!;
        var statements = await StatementRecorder.RecordAsync(app, async () => second = await client.GetPageAsync(olderLink!));
        IEnumerable<long> Listed(AngleSharp.Html.Dom.IHtmlDocument page) =>
            page.QuerySelectorAll(".media-item").Select(item => long.Parse(item.Id!["media-".Length..], System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(newestFirst.Take(MediaLibraryQueries.PageSize), Listed(first));
        Assert.NotNull(olderLink);
        Assert.Equal(Listed(first), Listed(garbage));
        Assert.Equal(newestFirst.Skip(MediaLibraryQueries.PageSize), Listed(second).Take(30 - MediaLibraryQueries.PageSize));
        Assert.Contains("Newest pictures", second.QuerySelector(".pager")?.TextContent, StringComparison.Ordinal);
        using var connection = app.OpenDatabase();
        var listing = Assert.Single(statements, sql => sql.Contains("FROM media m", StringComparison.Ordinal) && sql.Contains("ORDER BY", StringComparison.Ordinal));
        var plan = string.Join(" | ", connection.Query<(long, long, long, string Detail)>("EXPLAIN QUERY PLAN " + listing).Select(row => row.Detail));
        Assert.Contains("SEARCH m USING INDEX ix_media_uploaded_at", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("OFFSET", listing, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachPictureShowsItsSizesUsesDescriptionAndDateAndOnlyItsUploaderAndTheOwnerSeeTheChanges()
    {
        var uploader = await BlogClient.CreateAccountAsync(app, MemberRole.Author, displayName: "Una Uploader");
        var (other, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var otherSignedIn = other;
        using var ownerSignedIn = owner;
        var uploadedAt = new DateTime(2095, 3, 4, 5, 6, 0, DateTimeKind.Utc);
        var id = PictureSeeder.Insert(app, new PictureSeed { UploadedBy = uploader.Id, UploadedAt = uploadedAt, AltText = "Lighthouse in fog", Width = 3000, Height = 2000, WithFiles = false }).Id;
        var (postId, _) = PostSeeder.Insert(app, new SeedPost { Title = "Walking the coast", AuthorId = uploader.Id });
        MediaLibraryTestData.ShowInPost(app, postId, id);
        // The page that starts with this picture, whatever other tests of this class have added after it.
        var page = "/admin/media?before=" + new MediaCursor(uploadedAt.AddSeconds(1), 0);

        var asOther = (await other.GetPageAsync(page)).GetElementById($"media-{id}")!;
        var asOwner = (await owner.GetPageAsync(page)).GetElementById($"media-{id}")!;

        var text = asOther.TextContent;
        Assert.Contains("Lighthouse in fog", text, StringComparison.Ordinal);
        Assert.Contains("3000 × 2000 px", text, StringComparison.Ordinal);
        Assert.Contains("480, 960, 1600, 2400 px wide", text, StringComparison.Ordinal);
        Assert.Contains("4 Mar 2095, 05:06 UTC by Una Uploader", text, StringComparison.Ordinal);
        Assert.Equal($"/admin/posts/{postId}/edit", asOther.QuerySelector(".media-uses a")?.GetAttribute("href"));
        Assert.Equal("Walking the coast", asOther.QuerySelector(".media-uses a")?.TextContent);
        Assert.StartsWith("![Lighthouse in fog](/media/", asOther.QuerySelector($"#markdown-{id}")?.GetAttribute("value"), StringComparison.Ordinal);
        Assert.EndsWith("-1600.jpg)", asOther.QuerySelector($"#markdown-{id}")?.GetAttribute("value"), StringComparison.Ordinal);
        Assert.Equal("/media/", asOther.QuerySelector(".media-thumb img")?.GetAttribute("src")?[..7]);
        Assert.Null(asOther.QuerySelector($"a[href='/admin/media/{id}/delete']"));
        Assert.Null(asOther.QuerySelector($"form[action='/admin/media/{id}/alt']"));
        Assert.NotNull(asOwner.QuerySelector($"a[href='/admin/media/{id}/delete']"));
        Assert.NotNull(asOwner.QuerySelector($"form[action='/admin/media/{id}/alt']"));
    }

    [Fact]
    public async Task AnotherAuthorMayNotDescribeOrDeleteAPictureButItsUploaderAndTheOwnerMay()
    {
        var (uploader, uploaderMember) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var (other, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var a = uploader;
        using var b = other;
        using var c = owner;
        var id = PictureSeeder.Insert(app, new PictureSeed { UploadedBy = uploaderMember.Id, UploadedAt = DateTime.UtcNow, AltText = "Before", WithFiles = false }).Id;
        var path = $"/admin/media/{id}";

        using var otherDescribes = await other.PostAsync(path + "/alt", new Dictionary<string, string> { ["altText"] = "Vandalised" }, "/admin/media");
        using var otherOpensDelete = await other.GetAsync(path + "/delete");
        using var otherDeletes = await other.PostAsync(path + "/delete", new Dictionary<string, string> { ["confirm"] = "true" }, "/admin/media");
        var afterOther = Description(id);
        using var uploaderDescribes = await uploader.PostAsync(path + "/alt", new Dictionary<string, string> { ["altText"] = "  By the\r\nuploader " }, "/admin/media");
        var afterUploader = Description(id);
        using var ownerDescribes = await owner.PostAsync(path + "/alt", new Dictionary<string, string> { ["altText"] = "", ["decorative"] = "true" }, "/admin/media");
        var afterOwner = Description(id);
        using var ownerDeletes = await owner.PostAsync(path + "/delete", new Dictionary<string, string>(), "/admin/media");

        Assert.Equal(HttpStatusCode.Forbidden, otherDescribes.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherOpensDelete.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherDeletes.StatusCode);
        Assert.Equal(("Before", false), afterOther);
        Assert.Equal(HttpStatusCode.Redirect, uploaderDescribes.StatusCode);
        Assert.Equal(("By the uploader", false), afterUploader);
        Assert.Equal(HttpStatusCode.Redirect, ownerDescribes.StatusCode);
        Assert.Equal(("", true), afterOwner);
        Assert.Equal(HttpStatusCode.Redirect, ownerDeletes.StatusCode);
        Assert.Null(Description(id));
    }

    [Theory]
    [InlineData("", false, "Describe the picture")]
    [InlineData(" \t ", false, "Describe the picture")]
    [InlineData(null, false, "Describe the picture")]
    public async Task AnEmptyDescriptionIsRefusedWithTheFormAgain(string? typed, bool decorative, string message)
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = client;
        var id = PictureSeeder.Insert(app, new PictureSeed { UploadedBy = member.Id, UploadedAt = DateTime.UtcNow, AltText = "Kept", WithFiles = false }).Id;
        var fields = new Dictionary<string, string> { ["decorative"] = decorative ? "true" : "false" };
        if (typed is not null)
        {
            fields["altText"] = typed;
        }

        using var response = await client.PostAsync($"/admin/media/{id}/alt", fields, "/admin/media");
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, page.QuerySelector("#altText-error")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(("Kept", false), Description(id));
    }

    [Fact]
    public async Task ATooLongDescriptionIsRefusedAndShownAgainAsTyped()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = client;
        var id = PictureSeeder.Insert(app, new PictureSeed { UploadedBy = member.Id, UploadedAt = DateTime.UtcNow, AltText = "Kept", WithFiles = false }).Id;
        var typed = new string('x', MediaCommands.AltTextMaxLength + 1);

        using var response = await client.PostAsync($"/admin/media/{id}/alt", new Dictionary<string, string> { ["altText"] = typed }, "/admin/media");
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(typed, page.QuerySelector("#altText")?.TextContent);
        Assert.Equal(("Kept", false), Description(id));
    }

    [Fact]
    public async Task APictureAPostShowsIsDeletedOnlyWhenConfirmedAndThenItsRowsThenItsFilesGo()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = client;
        using var uploaded = await MediaLibraryTestData.UploadAsync(client, TestImages.Jpeg(1000, 700, quality: 64), "used.jpg", "In use", json: true);
        using var json = System.Text.Json.JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync());
        var id = json.RootElement.GetProperty("id").GetInt64();
        var hash = json.RootElement.GetProperty("hash").GetString()!;
        var (postId, _) = PostSeeder.Insert(app, new SeedPost { Title = "The post with the cover", AuthorId = member.Id });
        MediaLibraryTestData.ShowInPost(app, postId, id, asCover: true);
        var mediaFolder = app.Services.GetRequiredService<DataFolder>().MediaPath;
        int FilesOnDisk() => Directory.EnumerateFiles(mediaFolder, hash + "-*").Count();
        var filesBefore = FilesOnDisk();

        var confirmPage = await client.GetPageAsync($"/admin/media/{id}/delete");
        using var refused = await client.PostAsync($"/admin/media/{id}/delete", new Dictionary<string, string>(), "/admin/media");
        var refusedPage = BlogClient.Parse(await refused.Content.ReadAsStringAsync());
        var stillThere = Description(id);
        var filesAfterRefusal = FilesOnDisk();
        using var confirmed = await client.PostAsync($"/admin/media/{id}/delete", new Dictionary<string, string> { ["confirm"] = "true" }, "/admin/media");

        Assert.Equal("The post with the cover", confirmPage.QuerySelector(".media-uses a")?.TextContent);
        Assert.NotNull(confirmPage.QuerySelector("input[name=confirm]"));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Posts still show this picture", refusedPage.QuerySelector("[role=alert]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("The post with the cover", refusedPage.QuerySelector(".media-uses a")?.TextContent);
        Assert.Equal(("In use", false), stillThere);
        Assert.Equal(6, filesBefore);
        Assert.Equal(6, filesAfterRefusal);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Null(Description(id));
        Assert.Equal(0, FilesOnDisk());
        using var db = app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<int>("SELECT COUNT(*) FROM media_files WHERE media_id = @Id", new { Id = id }));
        Assert.Equal(0, db.ExecuteScalar<int>("SELECT COUNT(*) FROM post_media WHERE media_id = @Id", new { Id = id }));
        Assert.Null(db.ExecuteScalar<long?>("SELECT cover_media_id FROM posts WHERE id = @Id", new { Id = postId }));
    }

    [Fact]
    public async Task AnUnusedPictureIsDeletedWithoutTheBoxAndUnknownOnesAre404()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = client;
        var id = PictureSeeder.Insert(app, new PictureSeed { UploadedBy = member.Id, UploadedAt = DateTime.UtcNow, AltText = "A seeded picture", WithFiles = false }).Id;

        var confirmPage = await client.GetPageAsync($"/admin/media/{id}/delete");
        using var deleted = await client.PostAsync($"/admin/media/{id}/delete", new Dictionary<string, string>(), "/admin/media");
        using var again = await client.PostAsync($"/admin/media/{id}/delete", new Dictionary<string, string>(), "/admin/media");
        using var unknownPage = await client.GetAsync("/admin/media/999999999/delete");
        using var unknownAlt = await client.PostAsync("/admin/media/999999999/alt", new Dictionary<string, string> { ["altText"] = "x" }, "/admin/media");

        Assert.Null(confirmPage.QuerySelector("input[name=confirm]"));
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Null(Description(id));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownPage.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownAlt.StatusCode);
    }

    [Fact]
    public async Task TheEditorOffersLibraryPicturesAsTheCoverWithTheCurrentOneChosenAndShown()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = client;
        // Older than the newest hundred the editor offers: still offered, because it is this post's cover.
        var oldCover = PictureSeeder.Insert(app, new PictureSeed { UploadedBy = member.Id, UploadedAt = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc), AltText = "An old cover", Width = 800, Height = 600, WithFiles = false }).Id;
        for (var i = 0; i < MediaLibraryQueries.CoverChoicesLimit; i++)
        {
            PictureSeeder.Insert(app, new PictureSeed { UploadedBy = member.Id, UploadedAt = new DateTime(2080, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i), AltText = "A seeded picture", WithFiles = false });
        }
        var (postId, _) = PostSeeder.Insert(app, new SeedPost { Title = "With a cover", AuthorId = member.Id });
        using (var db = app.OpenDatabase())
        {
            db.Execute("UPDATE posts SET cover_media_id = @Cover WHERE id = @Id", new { Cover = oldCover, Id = postId });
        }

        var editor = await client.GetPageAsync($"/admin/posts/{postId}/edit");
        var blank = await client.GetPageAsync("/admin/posts/new");

        var select = editor.QuerySelector("select#CoverMediaId")!;
        Assert.Equal(MediaLibraryQueries.CoverChoicesLimit + 2, select.QuerySelectorAll("option").Length);
        Assert.Equal(MediaLibraryTestData.Id(oldCover), select.QuerySelector("option[selected]")?.GetAttribute("value"));
        Assert.StartsWith("An old cover", select.QuerySelector("option[selected]")?.TextContent, StringComparison.Ordinal);
        var preview = editor.QuerySelector("#cover-preview img");
        Assert.Matches("^/media/[0-9a-f]{20}-480.jpg$", preview?.GetAttribute("src"));
        Assert.Equal(("480", "360"), (preview?.GetAttribute("width"), preview?.GetAttribute("height")));
        Assert.Equal("", blank.QuerySelector("select#CoverMediaId option[selected]")?.GetAttribute("value") ?? "");
        Assert.Null(blank.QuerySelector("#cover-preview img"));
        Assert.NotNull(editor.QuerySelector("a[href='/admin/media#upload']"));
    }

    [Fact]
    public async Task TheDataDownloadListsThePicturesThePersonUploadedAndNobodyElses()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = client;
        var other = await BlogClient.CreateAccountAsync(app, MemberRole.Author);
        var mine = PictureSeeder.Insert(app, new PictureSeed { UploadedBy = member.Id, UploadedAt = DateTime.UtcNow, AltText = "My own picture", Width = 3000, Height = 2000, WithFiles = false }).Id;
        PictureSeeder.Insert(app, new PictureSeed { UploadedBy = other.Id, UploadedAt = DateTime.UtcNow, AltText = "Someone else's picture", WithFiles = false });

        using var export = await client.DownloadAccountDataAsync();

        var picture = Assert.Single(export.RootElement.GetProperty("pictures").EnumerateArray().ToList());
        Assert.Equal(mine, picture.GetProperty("id").GetInt64());
        Assert.Equal("My own picture", picture.GetProperty("altText").GetString());
        Assert.Matches("^/media/[0-9a-f]{20}-2400.jpg$", picture.GetProperty("address").GetString());
        Assert.False(picture.TryGetProperty("hash", out _));
    }

    private (string AltText, bool Decorative)? Description(long id)
    {
        using var db = app.OpenDatabase();
        var row = db.QuerySingleOrDefault<(string AltText, long Decorative)?>("SELECT alt_text, decorative FROM media WHERE id = @Id", new { Id = id });
        return row is { } found ? (found.AltText, found.Decorative == 1) : null;
    }
}
