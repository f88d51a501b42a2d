using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Blog.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace Blog.Web.Tests.Features.IndieAuth;

/// <summary>The blog on a clock the test moves, with the app-token limit out of the way (every test app shares one address).</summary>
public sealed class IndieAuthAppFactory : ClockedBlogAppFactory
{
    public IndieAuthAppFactory() => Settings["Blog:RateLimits:AppTokensPerMinute"] = "100000";
}

/// <summary>A PKCE pair made the way an app makes one, independently of the blog's own code.</summary>
public sealed record PkcePair(string Verifier, string Challenge)
{
    public static PkcePair Create()
    {
        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(48));
        return new PkcePair(verifier, WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }
}

/// <summary>What an app does in the IndieAuth flow, driven over HTTP: ask, have the person consent, redeem the code.</summary>
public static class IndieAuthTestApp
{
    public const string ClientId = "https://app.example/";
    public const string RedirectUri = "https://app.example/callback?from=blog";
    public const string Issuer = "http://localhost/";

    public static string AuthorizationUrl(PkcePair pkce, string scope, string state = "state-123", string clientId = ClientId,
        string redirectUri = RedirectUri, string method = "S256") =>
        QueryHelpers.AddQueryString("/indieauth/auth", new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["state"] = state,
            ["code_challenge"] = pkce.Challenge,
            ["code_challenge_method"] = method,
            ["scope"] = scope,
            ["me"] = "http://localhost/",
        });

    /// <summary>
    /// Opens the consent page and answers it: the checkboxes left ticked are <paramref name="grant"/> (all of them when
    /// null), plus any <paramref name="forged"/> values a hostile page might add. Returns where the browser is sent.
    /// </summary>
    public static async Task<Uri> ConsentAsync(BlogClient person, string authorizationUrl, string decision = "approve",
        IReadOnlyList<string>? grant = null, IReadOnlyList<string>? forged = null)
    {
        var page = await person.GetPageAsync(authorizationUrl);
        var form = page.QuerySelector("main form[action='/indieauth/auth/consent']") as IHtmlFormElement
            ?? throw new InvalidOperationException("No consent form on " + authorizationUrl);
        var fields = form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>()
            .Select(input => new KeyValuePair<string, string>(input.Name!, input.Value)).ToList();
        var offered = form.QuerySelectorAll("input[type=checkbox][name=grant]").OfType<IHtmlInputElement>().Select(box => box.Value);
        fields.AddRange((grant ?? offered).Concat(forged ?? []).Select(scope => new KeyValuePair<string, string>("grant", scope)));
        fields.Add(new("decision", decision));
        using var response = await person.Http.PostAsync("/indieauth/auth/consent", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ReturnAddress(BlogClient.Parse(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>The address the "back to the app" page sends the browser to, which its link and its refresh agree on.</summary>
    public static Uri ReturnAddress(IHtmlDocument page)
    {
        var link = page.QuerySelector("a#return-to-app")?.GetAttribute("href") ?? throw new InvalidOperationException("No way back to the app.");
        var refresh = page.QuerySelector("meta[http-equiv=refresh]")?.GetAttribute("content") ?? "";
        Assert.Equal("0; url=" + link, refresh);
        return new Uri(link);
    }

    public static Dictionary<string, string> QueryOf(Uri address) =>
        QueryHelpers.ParseQuery(address.Query).ToDictionary(pair => pair.Key, pair => pair.Value.ToString());

    /// <summary>An author's consent to <paramref name="scope"/>: the code and the PKCE pair it is bound to.</summary>
    public static async Task<(string Code, PkcePair Pkce)> CodeAsync(BlogClient author, string scope)
    {
        var pkce = PkcePair.Create();
        var answer = QueryOf(await ConsentAsync(author, AuthorizationUrl(pkce, scope)));
        return (answer["code"], pkce);
    }

    /// <summary>The whole flow for a signed-in author: consent to <paramref name="scope"/>, then the app's token.</summary>
    public static async Task<string> TokenAsync(BlogAppFactory app, BlogClient author, string scope)
    {
        var (code, pkce) = await CodeAsync(author, scope);
        var (_, body) = await RedeemAsync(app, code, pkce.Verifier);
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>The app's code exchange, without the person's cookies (apps have none).</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> RedeemAsync(BlogAppFactory app, string code, string verifier,
        string clientId = ClientId, string redirectUri = RedirectUri, string path = "/indieauth/token", string? grantType = "authorization_code")
    {
        var fields = new Dictionary<string, string>
        {
            ["code"] = code,
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier,
        };
        if (grantType is not null)
        {
            fields["grant_type"] = grantType;
        }
        return await PostFormAsync(app, path, fields);
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostFormAsync(BlogAppFactory app, string path,
        IEnumerable<KeyValuePair<string, string>> fields, string? bearer = null)
    {
        using var http = app.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = app.ClientOptions.BaseAddress });
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new("Bearer", bearer);
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
