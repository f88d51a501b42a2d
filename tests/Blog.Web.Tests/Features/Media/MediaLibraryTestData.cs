using System.Globalization;
using System.Net.Http.Headers;
using Blog.Web.Features.Media;
using Blog.Web.Tests.Infrastructure;
using Dapper;

namespace Blog.Web.Tests.Features.Media;

/// <summary>Uploads through the real form, and library rows put straight into the database for tests about listing.</summary>
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

    /// <summary>
    /// A library row with its files' rows (no files on disk), uploaded at <paramref name="uploadedAt"/>: for tests of
    /// what the library lists and who may change what.
    /// </summary>
    public static long InsertPicture(BlogAppFactory app, string? uploadedBy, DateTime uploadedAt, string altText = "A seeded picture", int width = 1200, int height = 800)
    {
        var hash = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..20];
        using var db = app.OpenDatabase();
        var id = db.ExecuteScalar<long>("""
            INSERT INTO media (hash, file_name, alt_text, width, height, source_format, uploaded_by, uploaded_at)
            VALUES (@Hash, @FileName, @AltText, @Width, @Height, 'jpeg', @UploadedBy, @UploadedAt)
            RETURNING id
            """, new { Hash = hash, FileName = hash[..6] + ".jpg", AltText = altText, Width = width, Height = height, UploadedBy = uploadedBy, UploadedAt = CommentTestData.Format(uploadedAt) });
        foreach (var w in MediaAddresses.WidthsFor(width))
        {
            foreach (var format in new[] { MediaFormat.WebP, MediaFormat.Jpeg })
            {
                db.Execute("INSERT INTO media_files (media_id, format, width, height, byte_size) VALUES (@Id, @Format, @Width, @Height, 1000)",
                    new { Id = id, Format = format, Width = w, Height = height * w / width });
            }
        }
        return id;
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
