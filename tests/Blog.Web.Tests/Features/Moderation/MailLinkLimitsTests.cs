using System.Net;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using static Blog.Web.Tests.Infrastructure.CommentTestData;

namespace Blog.Web.Tests.Features.Moderation;

public sealed class MailLinkLimitsTests(FewMailLinkDecisionsAppFactory app) : IClassFixture<FewMailLinkDecisionsAppFactory>
{
    [Fact]
    public async Task SomeoneGuessingSecretsIsStoppedAndEvenAGenuineLinkThenWaitsItsTurn()
    {
        var owner = await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        var writer = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        var commentId = await MailLinkTestData.InsertHeldCommentAsync(app, await CreatePostAsync(app), writer.Id);
        var (path, token) = await MailLinkTestData.LinkForHeldCommentAsync(app, commentId, owner.Id);
        using var guesser = new BlogClient(app);
        var antiforgery = await guesser.AntiforgeryTokenAsync($"{path}?token={token}");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < FewMailLinkDecisionsAppFactory.PerMinute; i++)
        {
            answers.Add(await PostAsync(guesser, path, new string((char)('A' + i), 43), antiforgery));
        }
        var genuineTooSoon = await PostAsync(guesser, path, token, antiforgery);

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.NotFound, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, genuineTooSoon);
        Assert.Equal("held", Comment(app, commentId).Status);
        Assert.Equal(0, Scalar<long>(app, "SELECT COUNT(*) FROM moderation_links WHERE used_at IS NOT NULL"));
    }

    [Theory]
    [InlineData("Blog:Moderation:MailLinkDays", "0")]
    [InlineData("Blog:Moderation:MailLinkDays", "400")]
    [InlineData("Blog:Moderation:MailLinkDecisionsPerMinute", "0")]
    public void AnImpossibleSettingStopsTheAppAtStart(string key, string value)
    {
        using var blog = new BlogAppFactory();
        blog.Settings[key] = value;

        var failure = Assert.ThrowsAny<Exception>(() => blog.CreateClient());

        Assert.Contains(key.Split(':')[^1], failure.ToString(), StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> PostAsync(BlogClient client, string path, string token, string antiforgery)
    {
        using var response = await client.Http.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token,
            [BlogClient.AntiforgeryField] = antiforgery,
        }));
        return response.StatusCode;
    }
}
