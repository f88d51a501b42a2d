using System.Globalization;
using System.Net;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// A visitor's browser for blogs running as processes (<see cref="BlogProcess"/>) or behind a proxy: one cookie jar for
/// every address it visits (cookies name a host, not a port, so instances on one machine see the same ones), redirects
/// never followed. <paramref name="configure"/> adjusts the handler, e.g. where it connects and which certificate it trusts.
/// </summary>
public sealed class ProcessBrowser : IDisposable
{
    public ProcessBrowser(Action<SocketsHttpHandler>? configure = null)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = Cookies, UseCookies = true };
        configure?.Invoke(handler);
        Http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Http { get; }

    public Task<HttpResponseMessage> GetAsync(Uri site, string path) => Http.GetAsync(new Uri(site, path));

    /// <summary>This browser's antiforgery token as <paramref name="site"/> puts it in a form (tied to who is signed in).</summary>
    public async Task<string> TokenAsync(Uri site)
    {
        var page = await Http.GetStringAsync(new Uri(site, CommentTestData.TokenPage));
        return BlogClient.AntiforgeryToken(BlogClient.Parse(page), CommentTestData.TokenPage);
    }

    /// <summary>Posts a form with <paramref name="token"/>, or with a token fetched from the same site when none is given.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(Uri site, string path, IDictionary<string, string> fields, string? token = null)
    {
        var values = new Dictionary<string, string>(fields) { [BlogClient.AntiforgeryField] = token ?? await TokenAsync(site) };
        return await Http.PostAsync(new Uri(site, path), new FormUrlEncodedContent(values));
    }

    public async Task SignInAsync(Uri site, string email, string password = BlogClient.Password)
    {
        using var response = await PostFormAsync(site, "/account/sign-in", new Dictionary<string, string>
        {
            ["Email"] = email,
            ["Password"] = password,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Signing in as {email} at {site} answered {(int)response.StatusCode}");
    }

    public Task<HttpResponseMessage> CommentAsync(Uri site, long postId, string body, string? token = null) =>
        PostFormAsync(site, "/comments", new Dictionary<string, string>
        {
            ["PostId"] = postId.ToString(CultureInfo.InvariantCulture),
            ["Body"] = body,
        }, token);

    public void Dispose() => Http.Dispose();
}
