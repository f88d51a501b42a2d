using Blog.Web.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Blog.Web.Tests.Hosting;

public sealed class HeldBytesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(11_340)] // a picture file
    [InlineData(HeldBytes.LargestPiece)]
    [InlineData(3 * HeldBytes.LargestPiece + 7)] // a long page, in several pieces
    public async Task TheBodyIsSentWholeAndInOrderAfterTheHeaders(int length)
    {
        var body = new byte[length];
        new Random(length).NextBytes(body);
        var sent = new MemoryStream();
        var context = new DefaultHttpContext();
        var feature = new StreamResponseBodyFeature(sent);
        context.Features.Set<IHttpResponseBodyFeature>(feature);
        context.Response.ContentLength = length;

        await HeldBytes.WriteAsync(context.Response, body, CancellationToken.None);
        await feature.CompleteAsync();

        Assert.Equal(body, sent.ToArray());
    }
}
