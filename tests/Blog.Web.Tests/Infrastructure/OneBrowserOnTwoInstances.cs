using System.Globalization;
using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// One visitor's browser going back and forth between two instances of the blog, as a load balancer without sticky
/// sessions sends it: one cookie jar, and forms issued by the first instance posted to the second.
/// </summary>
public sealed class OneBrowserOnTwoInstances : IDisposable
{
    private readonly CookieContainer _cookies = new();

    public OneBrowserOnTwoInstances(WebApplicationFactory<Program> first, WebApplicationFactory<Program> second)
    {
        OnFirst = first.CreateDefaultClient(new Uri("http://localhost/"), new CookieContainerHandler(_cookies));
        OnSecond = second.CreateDefaultClient(new Uri("http://localhost/"), new CookieContainerHandler(_cookies));
    }

    public HttpClient OnFirst { get; }

    public HttpClient OnSecond { get; }

    /// <summary>Signs in on the first instance with the password every test account has.</summary>
    public async Task<HttpResponseMessage> SignInOnFirstAsync(string email) =>
        await OnFirst.PostAsync("/account/sign-in", await FirstsFormAsync(new()
        {
            ["Email"] = email,
            ["Password"] = BlogClient.Password,
        }));

    /// <summary>Comments through the second instance, with the form token the first one issued.</summary>
    public async Task<HttpResponseMessage> CommentOnSecondAsync(long postId, string body) =>
        await OnSecond.PostAsync("/comments", await FirstsFormAsync(new()
        {
            ["PostId"] = postId.ToString(CultureInfo.InvariantCulture),
            ["Body"] = body,
        }));

    public void Dispose()
    {
        OnFirst.Dispose();
        OnSecond.Dispose();
    }

    private async Task<FormUrlEncodedContent> FirstsFormAsync(Dictionary<string, string> fields)
    {
        var page = new HtmlParser().ParseDocument(await OnFirst.GetStringAsync(CommentTestData.TokenPage));
        fields[BlogClient.AntiforgeryField] = page.QuerySelector($"input[name={BlogClient.AntiforgeryField}]")!.GetAttribute("value")!;
        return new FormUrlEncodedContent(fields);
    }
}
