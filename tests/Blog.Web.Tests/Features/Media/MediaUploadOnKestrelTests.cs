using System.Net;
using System.Net.Http.Headers;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Blog.Web.Identity;
using Blog.Web.Tests.Features.Authoring;

namespace Blog.Web.Tests.Features.Media;

/// <summary>
/// Uploads over a real socket, where the picture limit has to hold for a body that does not say its length: Kestrel
/// then stops reading at the limit, which it can only do if nothing read the form before the upload action ran.
/// </summary>
public sealed class MediaUploadOnKestrelTests(LargeBodyTests.OnKestrel app) : IClassFixture<LargeBodyTests.OnKestrel>
{
    [Fact]
    public async Task AChunkedUploadOverTheLimitIsStoppedAtTheLimitWithTheMessage()
    {
        var author = await BlogClient.CreateAccountAsync(app, MemberRole.Author);
        using var client = new BlogClient(app);
        // A client on a real socket follows the sign-in redirect itself.
        using (await client.SubmitFormAsync("/account/sign-in", new Dictionary<string, string>
        {
            ["Email"] = author.Email!, ["Password"] = BlogClient.Password,
        }))
        {
        }
        // Over the default 20 MB picture limit, under Kestrel's general 30 MB limit for a request body.
        var over = new byte[25 * 1024 * 1024];
        TestImages.Jpeg(100, 100).CopyTo(over, 0);
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(await client.AntiforgeryTokenAsync("/admin/media")), BlogClient.AntiforgeryField);
        form.Add(new StringContent("Far too big"), "altText");
        var file = new ByteArrayContent(over);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "file", "over.jpg");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/media") { Content = form };
        request.Headers.TransferEncodingChunked = true;

        HttpResponseMessage? response = null;
        try
        {
            response = await client.Http.SendAsync(request);
        }
        catch (HttpRequestException ex) when (ex.InnerException is IOException)
        {
            // The server answered and closed the connection while the rest of the file was still on its way: it
            // stopped reading at the limit, which is the point. Read whole, the file would have been answered 400.
        }

        Assert.Null(request.Content.Headers.ContentLength);
        if (response is not null)
        {
            using (response)
            {
                var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
                Assert.Contains("larger than 20 MB", page.QuerySelector("#file-error")?.TextContent, StringComparison.Ordinal);
            }
        }
        using var db = app.OpenDatabase();
        Assert.Equal(0L, db.ExecuteScalar<long>("SELECT COUNT(*) FROM media WHERE uploaded_by = @Id", new { author.Id }));
    }
}
