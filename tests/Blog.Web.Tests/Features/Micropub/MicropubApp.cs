using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Blog.Web.Features.IndieAuth;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Micropub;

/// <summary>An app as a Micropub client sees it: tokens for fresh accounts, and requests in each syntax.</summary>
public sealed class MicropubApp(BlogAppFactory app) : IDisposable
{
    public const string AllScopes = "create update delete media";

    public BlogAppFactory App => app;

    public HttpClient Http { get; } = app.CreateClient(new() { AllowAutoRedirect = false });

    /// <summary>A token for a fresh account with <paramref name="role"/> and the given scopes; the account's id.</summary>
    public async Task<(string Token, string MemberId)> TokenAsync(string scope = AllScopes, MemberRole role = MemberRole.Author, TimeSpan? lifetime = null)
    {
        var member = await BlogClient.CreateAccountAsync(app, role);
        var (token, _) = await app.Services.GetRequiredService<AccessTokenStore>()
            .IssueAsync(member.Id, "https://app.example.test/", "Test app", scope, lifetime, CancellationToken.None);
        return (token, member.Id);
    }

    public async Task<HttpResponseMessage> PostFormAsync(string? token, params (string Key, string Value)[] fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/micropub")
        {
            Content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Key, f.Value))),
        };
        Authorize(request, token);
        return await Http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> PostJsonTextAsync(string? token, string json, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/micropub") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        Authorize(request, token);
        return await Http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> PostMultipartAsync(string path, string? token, MultipartFormDataContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        Authorize(request, token);
        return await Http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> QueryAsync(string? token, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/micropub?" + query);
        Authorize(request, token);
        return await Http.SendAsync(request);
    }

    /// <summary>Creates a post from a JSON object of properties and gives its address, failing the test when the blog refuses it.</summary>
    public async Task<string> CreateAsync(string token, string properties)
    {
        using var response = await PostJsonTextAsync(token, $$"""{"type": ["h-entry"], "properties": {{properties}}}""");
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return response.Headers.Location!.ToString();
    }

    /// <summary>The post's properties as q=source gives them.</summary>
    public async Task<JsonElement> SourceAsync(string token, string url)
    {
        using var response = await QueryAsync(token, "q=source&url=" + Uri.EscapeDataString(url));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("properties").Clone();
    }

    /// <summary>The public page at an absolute address of the blog, as an anonymous reader gets it.</summary>
    public async Task<HttpResponseMessage> ReadAsync(string url)
    {
        using var reader = new BlogClient(app);
        return await reader.GetAsync(new Uri(url).PathAndQuery);
    }

    public async Task<string> ReadTextAsync(string url)
    {
        using var response = await ReadAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url} answered {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    public long CountPosts()
    {
        using var connection = app.OpenDatabase();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM posts");
    }

    public static async Task<JsonElement> ErrorOfAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public static string Unique(string text) => $"{text} {Guid.NewGuid():N}"[..(text.Length + 9)];

    private static void Authorize(HttpRequestMessage request, string? token)
    {
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public void Dispose() => Http.Dispose();
}
