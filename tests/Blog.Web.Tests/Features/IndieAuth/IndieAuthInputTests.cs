using System.Net;
using System.Text.Json;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.WebUtilities;
using static Blog.Web.Tests.Features.IndieAuth.IndieAuthTestApp;

namespace Blog.Web.Tests.Features.IndieAuth;

/// <summary>
/// Hostile and broken requests to every IndieAuth endpoint: a clear refusal each time, never a 500, and never a
/// redirect to an address the blog could not tie to the app.
/// </summary>
public sealed class IndieAuthInputTests(IndieAuthAppFactory app) : IClassFixture<IndieAuthAppFactory>
{
    public static TheoryData<string, string> UnusableClients => new()
    {
        { "", RedirectUri },
        { "app.example", RedirectUri },
        { "ftp://app.example/", "ftp://app.example/callback" },
        { "javascript:alert(1)//", RedirectUri },
        { "http://app.example/", "http://app.example/callback" },
        { "https://user:secret@app.example/", "https://user:secret@app.example/callback" },
        { "https://app.example/#top", RedirectUri },
        { "https://app.example/a/../b", "https://app.example/callback" },
        { "https://app.example/./", "https://app.example/callback" },
        { "https://app.example/%2e%2e/", "https://app.example/callback" },
        { "https://10.0.0.1/", "https://10.0.0.1/callback" },
        { "https://[fd00::1]/", "https://[fd00::1]/callback" },
        { "https://app.example/ with space", RedirectUri },
        { "https://app.example/\tx", RedirectUri },
        { "https://app.example/" + new string('a', 5000), RedirectUri },
        { ClientId, "" },
        { ClientId, "https://evil.example/callback" },
        { ClientId, "https://app.example.evil.example/callback" },
        { ClientId, "https://app.example:8443/callback" },
        { ClientId, "http://app.example/callback" },
        { ClientId, "https://app.example/callback#fragment" },
        { ClientId, "https://evil.example\\@app.example/callback" },
        { ClientId, "//evil.example/callback" },
        { "http://localhost:8080/", "http://127.0.0.1:8080/callback" },
    };

    [Theory]
    [MemberData(nameof(UnusableClients))]
    public async Task AnUnusableClientOrRedirectGetsAPageAndNeverARedirect(string clientId, string redirectUri)
    {
        var (author, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;
        var url = AuthorizationUrl(PkcePair.Create(), "create", clientId: clientId, redirectUri: redirectUri);

        using var asAuthor = await author.GetAsync(url);
        using var asStranger = await new BlogClient(app).GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, asAuthor.StatusCode);
        Assert.Null(asAuthor.Headers.Location);
        Assert.Contains("can't be used", await BlogClient.TextOfAsync(asAuthor), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, asStranger.StatusCode);
    }

    [Theory]
    [InlineData("http://localhost:8080/", "http://localhost:8080/callback")]
    [InlineData("http://127.0.0.1:5173/app", "http://127.0.0.1:5173/callback")]
    [InlineData("http://[::1]:5173/", "http://[::1]:5173/cb")]
    [InlineData("https://app.example:8443/", "https://app.example:8443/cb?x=1")]
    [InlineData("https://APP.example/", "https://app.EXAMPLE/cb")]
    public async Task LoopbackAndPortedClientsAreAccepted(string clientId, string redirectUri)
    {
        var (author, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;

        using var response = await author.GetAsync(AuthorizationUrl(PkcePair.Create(), "create", clientId: clientId, redirectUri: redirectUri));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string, string, string> BrokenRequests => new()
    {
        { "response_type", "token", "unsupported_response_type" },
        { "response_type", "", "unsupported_response_type" },
        { "code_challenge", "", "invalid_request" },
        { "code_challenge", "short", "invalid_request" },
        { "code_challenge", new string('a', 42) + "=", "invalid_request" },
        { "code_challenge", new string('a', 10_000), "invalid_request" },
        { "scope", string.Join(' ', Enumerable.Repeat("create", 400)), "invalid_scope" },
        { "state", new string('s', 1001), "invalid_request" },
        { "state", "", "invalid_request" },
    };

    [Theory]
    [MemberData(nameof(BrokenRequests))]
    public async Task AnyOtherBrokenRequestGoesBackToTheAppAsAnError(string field, string value, string error)
    {
        var (author, member) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;
        var query = QueryHelpers.ParseQuery(new Uri("http://localhost" + AuthorizationUrl(PkcePair.Create(), "create")).Query)
            .ToDictionary(pair => pair.Key, pair => (string?)pair.Value.ToString());
        query[field] = value;

        using var response = await author.GetAsync(QueryHelpers.AddQueryString("/indieauth/auth", query));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var answer = QueryOf(response.Headers.Location!);
        Assert.Equal(error, answer["error"]);
        Assert.Equal(Issuer, answer["iss"]);
        Assert.Equal(field == "state" ? null : "state-123", answer.GetValueOrDefault("state"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM indieauth_codes WHERE member_id = @Id", member.Id));
    }

    [Fact]
    public async Task AStateWithEveryKindOfCharacterComesBackExactly()
    {
        var (author, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;
        const string state = "ünïcödé 🙂 &a=b#c?d%20e+f'\"<script>";

        var answer = QueryOf(await ConsentAsync(author, AuthorizationUrl(PkcePair.Create(), "create", state: state)));

        Assert.Equal(state, answer["state"]);
    }

    public static TheoryData<string, string> BrokenExchanges => new()
    {
        { "grant_type=refresh_token&code=x&client_id=https%3A%2F%2Fapp.example%2F&redirect_uri=x&code_verifier=" + new string('v', 43), "unsupported_grant_type" },
        { "code=x&client_id=https%3A%2F%2Fapp.example%2F&redirect_uri=x&code_verifier=" + new string('v', 43), "invalid_request" },
        { "grant_type=authorization_code", "invalid_request" },
        { "grant_type=authorization_code&code=x&client_id=a&redirect_uri=b&code_verifier=short", "invalid_request" },
        { "grant_type=authorization_code&code=x&client_id=a&redirect_uri=b&code_verifier=" + new string('v', 129), "invalid_request" },
        { "grant_type=authorization_code&code=x&client_id=a&redirect_uri=b&code_verifier=" + new string('!', 43), "invalid_request" },
        { "grant_type=authorization_code&code=" + new string('c', 5000) + "&client_id=a&redirect_uri=b&code_verifier=" + new string('v', 43), "invalid_request" },
        { "grant_type=authorization_code&code=unknown&client_id=a&redirect_uri=b&code_verifier=" + new string('v', 43), "invalid_grant" },
        { "grant_type=authorization_code&code=%00%FF%FE&client_id=%C3%28&redirect_uri=%&code_verifier=" + new string('v', 43), "invalid_request" },
        { "grant_type=authorization_code&grant_type=authorization_code&code=x&client_id=a&redirect_uri=b&code_verifier=" + new string('v', 43), "invalid_grant" },
    };

    [Theory]
    [MemberData(nameof(BrokenExchanges))]
    public async Task TheTokenEndpointAnswersABrokenExchangeWithAnOAuthError(string body, string error)
    {
        using var http = app.CreateClient();

        using var response = await http.PostAsync("/indieauth/token", new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(text.StartsWith('{'), text);
        using var json = JsonDocument.Parse(text);
        Assert.Equal(error, json.RootElement.GetProperty("error").GetString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("/indieauth/token")]
    [InlineData("/indieauth/auth")]
    [InlineData("/indieauth/introspect")]
    [InlineData("/indieauth/revoke")]
    public async Task AppEndpointsRefuseOversizedOrNonFormBodiesWithoutFailing(string path)
    {
        using var http = app.CreateClient();

        using var huge = await http.PostAsync(path, new StringContent("code=" + new string('x', 100_000), System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        using var json = await http.PostAsync(path, new StringContent("{\"code\":\"x\"}", System.Text.Encoding.UTF8, "application/json"));
        using var nested = await http.PostAsync(path, new StringContent(new string('[', 10_000), System.Text.Encoding.UTF8, "application/json"));
        using var empty = await http.PostAsync(path, null);

        Assert.All(new[] { huge, json, nested, empty }, response =>
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{path} answered {(int)response.StatusCode}"));
    }

    [Fact]
    public async Task TheTokenEndpointIgnoresTheCookieOfASignedInPerson()
    {
        var (author, member) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;

        using var response = await author.Http.PostAsync("/indieauth/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "authorization_code" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM indieauth_tokens WHERE member_id = @Id", member.Id));
    }

    private long Count(string sql, string memberId)
    {
        using var db = app.OpenDatabase();
        return db.ExecuteScalar<long>(sql, new { Id = memberId });
    }
}
