using System.Globalization;
using System.Net.Http.Headers;
using Blog.Web.Features.Media;
using Blog.Web.Tests.Infrastructure;
using Dapper;

namespace Blog.Web.Tests.Features.Media;

/// <summary>Uploads through the real form, and where a seeded picture is shown.</summary>
public static class MediaLibraryTestData
{
    /// <summary>Posts the upload form as a browser does (multipart, with the token from the library page).</summary>
    public static async Task<HttpResponseMessage> UploadAsync(
        BlogClient client, byte[] file, string fileName = "photo.jpg", string? altText = "A gradient with a red corner",
        bool decorative = false, bool json = false, string contentType = "image/jpeg")
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(await client.AntiforgeryTokenAsync("/admin/media")), BlogClient.AntiforgeryField);
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(content, "file", fileName);
        if (altText is not null)
        {
            form.Add(new StringContent(altText), "altText");
        }
        if (decorative)
        {
            form.Add(new StringContent("true"), "decorative");
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/media") { Content = form };
        if (json)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }
        return await client.Http.SendAsync(request);
    }

    public static void ShowInPost(BlogAppFactory app, long postId, long mediaId, bool asCover = false)
    {
        using var db = app.OpenDatabase();
        db.Execute("INSERT INTO post_media (post_id, media_id) VALUES (@PostId, @MediaId)", new { PostId = postId, MediaId = mediaId });
        if (asCover)
        {
            db.Execute("UPDATE posts SET cover_media_id = @MediaId WHERE id = @PostId", new { PostId = postId, MediaId = mediaId });
        }
    }

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
