using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Comments;

public sealed class CommentDataExportTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    [Fact]
    public async Task DownloadMyDataIncludesTheCommentsIWroteAndNobodyElses()
    {
        var postId = await CommentTestData.CreatePostAsync(app, DateTime.UtcNow.AddDays(-1));
        var (writer, _) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        var (other, _) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var a = writer;
        using var b = other;
        await CommentTestData.CommentIdAsync(writer, postId, "Mine, in *Markdown*");
        await CommentTestData.CommentIdAsync(other, postId, "Somebody else's");

        using var json = await writer.DownloadAccountDataAsync();

        var comments = json.RootElement.GetProperty("comments").EnumerateArray().ToList();
        var only = Assert.Single(comments);
        Assert.Equal("Mine, in *Markdown*", only.GetProperty("bodyMarkdown").GetString());
        Assert.Equal(postId, only.GetProperty("postId").GetInt64());
    }
}
