using System.Net;
using System.Text.Json;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.IndieAuth;

/// <summary>How an app finds the blog's endpoints: links on the home page, then the metadata document.</summary>
public sealed class IndieAuthDiscoveryTests(IndieAuthAppFactory app) : IClassFixture<IndieAuthAppFactory>
{
    private const string Base = "http://localhost";

    [Theory]
    [InlineData("indieauth-metadata", Base + "/.well-known/oauth-authorization-server")]
    [InlineData("authorization_endpoint", Base + "/indieauth/auth")]
    [InlineData("token_endpoint", Base + "/indieauth/token")]
    [InlineData("micropub", Base + "/micropub")]
    public async Task TheHomePageLinksEachEndpointByItsAbsoluteAddress(string rel, string href)
    {
        using var reader = new BlogClient(app);

        var home = await reader.GetPageAsync("/");

        var links = home.Head!.QuerySelectorAll($"link[rel='{rel}']").Select(link => link.GetAttribute("href")).ToList();
        Assert.Equal([href], links);
    }

    [Fact]
    public async Task TheLinksNameTheBlogsAddressNotTheOneTheRequestClaims()
    {
        using var reader = new BlogClient(app, new Uri("http://127.0.0.1/"));

        var home = await reader.GetPageAsync("/");

        Assert.Equal(Base + "/indieauth/auth", home.Head!.QuerySelector("link[rel=authorization_endpoint]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task TheMetadataDocumentDescribesTheServer()
    {
        using var reader = new BlogClient(app);

        using var response = await reader.GetAsync("/.well-known/oauth-authorization-server");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var metadata = document.RootElement;
        string[] Strings(string name) => [.. metadata.GetProperty(name).EnumerateArray().Select(value => value.GetString()!)];

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Base + "/", metadata.GetProperty("issuer").GetString());
        Assert.Equal(Base + "/indieauth/auth", metadata.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(Base + "/indieauth/token", metadata.GetProperty("token_endpoint").GetString());
        Assert.Equal(Base + "/indieauth/introspect", metadata.GetProperty("introspection_endpoint").GetString());
        Assert.Equal(Base + "/indieauth/revoke", metadata.GetProperty("revocation_endpoint").GetString());
        Assert.Equal(["S256"], Strings("code_challenge_methods_supported"));
        Assert.Equal(["create", "update", "delete", "media", "profile"], Strings("scopes_supported"));
        Assert.Equal(["code"], Strings("response_types_supported"));
        Assert.Equal(["authorization_code"], Strings("grant_types_supported"));
        Assert.True(metadata.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());
    }
}
