using System.Net;
using Blog.Web.Features.IndieAuth;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using static Blog.Web.Tests.Features.IndieAuth.IndieAuthTestApp;

namespace Blog.Web.Tests.Features.IndieAuth;

/// <summary>
/// The authorization code flow with PKCE as an app runs it: ask, consent, redeem. What the app gets is checked
/// against the token table through the store the Micropub endpoint uses.
/// </summary>
public sealed class IndieAuthFlowTests(IndieAuthAppFactory app) : IClassFixture<IndieAuthAppFactory>
{
    private AccessTokenStore Tokens => app.Services.GetRequiredService<AccessTokenStore>();

    [Fact]
    public async Task AnAuthorsConsentGivesTheAppATokenWithTheGrantedScopes()
    {
        var (author, member) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;
        var pkce = PkcePair.Create();

        var returned = await ConsentAsync(author, AuthorizationUrl(pkce, "create media", state: "a state & more"));
        var answer = QueryOf(returned);
        var (status, token) = await RedeemAsync(app, answer["code"], pkce.Verifier);

        Assert.Equal("https://app.example/callback", returned.GetLeftPart(UriPartial.Path));
        Assert.Equal("blog", answer["from"]);
        Assert.Equal("a state & more", answer["state"]);
        Assert.Equal(Issuer, answer["iss"]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer", token.GetProperty("token_type").GetString());
        Assert.Equal("create media", token.GetProperty("scope").GetString());
        Assert.Equal(Issuer, token.GetProperty("me").GetString());
        var grant = await Tokens.FindActiveAsync(token.GetProperty("access_token").GetString(), CancellationToken.None);
        Assert.NotNull(grant);
        Assert.Equal(member.Id, grant.MemberId);
        Assert.Equal(ClientId, grant.ClientId);
        Assert.Equal("app.example", grant.ClientName);
        Assert.True(grant.Allows(TokenScopes.Create) && grant.Allows(TokenScopes.Media));
        Assert.False(grant.Allows(TokenScopes.Update) || grant.Allows(TokenScopes.Delete));
    }

    [Fact]
    public async Task AWrongVerifierIsRefusedAndTheCodeCannotBeTriedAgain()
    {
        var (author, member) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;
        var (code, pkce) = await CodeAsync(author, "create");

        var (wrongStatus, wrong) = await RedeemAsync(app, code, PkcePair.Create().Verifier);
        var (retryStatus, retry) = await RedeemAsync(app, code, pkce.Verifier);

        Assert.Equal(HttpStatusCode.BadRequest, wrongStatus);
        Assert.Equal("invalid_grant", wrong.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, retryStatus);
        Assert.Equal("invalid_grant", retry.GetProperty("error").GetString());
        Assert.Equal(0, TokenCount(member.Id));
    }

    [Fact]
    public async Task AReusedCodeIsRefusedAndTheTokenItGaveIsRevoked()
    {
        var (author, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;
        var (code, pkce) = await CodeAsync(author, "create");
        var (_, first) = await RedeemAsync(app, code, pkce.Verifier);
        var token = first.GetProperty("access_token").GetString();
        Assert.NotNull(await Tokens.FindActiveAsync(token, CancellationToken.None));

        var (status, second) = await RedeemAsync(app, code, pkce.Verifier);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", second.GetProperty("error").GetString());
        Assert.False(second.TryGetProperty("access_token", out _));
        Assert.Null(await Tokens.FindActiveAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task AnExpiredCodeIsRefused()
    {
        var (author, member) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;
        var (code, pkce) = await CodeAsync(author, "create");

        app.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var (status, body) = await RedeemAsync(app, code, pkce.Verifier);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
        Assert.Contains("expired", body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, TokenCount(member.Id));
    }

    [Theory]
    [InlineData("https://other.example/", RedirectUri)]
    [InlineData("https://app.example", RedirectUri)]
    [InlineData(ClientId, "https://app.example/callback")]
    [InlineData(ClientId, "https://app.example/elsewhere?from=blog")]
    public async Task ACodeIsOnlyGoodForTheClientAndRedirectItWasIssuedFor(string clientId, string redirectUri)
    {
        var (author, member) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;
        var (code, pkce) = await CodeAsync(author, "create");

        var (status, body) = await RedeemAsync(app, code, pkce.Verifier, clientId, redirectUri);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
        Assert.Equal(0, TokenCount(member.Id));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("")]
    [InlineData("s256")]
    public async Task OnlyS256IsAcceptedAndTheRefusalGoesBackToTheAppWithStateAndIss(string method)
    {
        var (author, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;
        var pkce = PkcePair.Create();
        var url = AuthorizationUrl(method == "plain" ? pkce with { Challenge = pkce.Verifier[..43] } : pkce, "create", method: method);

        using var response = await author.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith("https://app.example/callback?", location.OriginalString, StringComparison.Ordinal);
        var answer = QueryOf(location);
        Assert.Equal("invalid_request", answer["error"]);
        Assert.Equal("state-123", answer["state"]);
        Assert.Equal(Issuer, answer["iss"]);
        Assert.False(answer.ContainsKey("code"));
    }

    [Fact]
    public async Task UnknownScopesAreNeverOfferedAndUntickedOrForgedScopesAreNotGranted()
    {
        var (author, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;
        var pkce = PkcePair.Create();
        var url = AuthorizationUrl(pkce, "create update delete media admin create");

        var page = await author.GetPageAsync(url);
        var offered = page.QuerySelectorAll("input[type=checkbox][name=grant]").Select(box => box.GetAttribute("value")).ToList();
        var answer = QueryOf(await ConsentAsync(author, url, grant: ["update"], forged: ["admin", "profile", "create update"]));
        var (_, token) = await RedeemAsync(app, answer["code"], pkce.Verifier);

        Assert.Equal(["create", "update", "delete", "media"], offered);
        Assert.Contains("admin", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("update", token.GetProperty("scope").GetString());
        var grant = await Tokens.FindActiveAsync(token.GetProperty("access_token").GetString(), CancellationToken.None);
        Assert.Equal("update", grant!.Scope);
    }

    [Fact]
    public async Task DenyingSendsAccessDeniedAndNoCode()
    {
        var (author, member) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;

        var answer = QueryOf(await ConsentAsync(author, AuthorizationUrl(PkcePair.Create(), "create"), decision: "deny"));

        Assert.Equal("access_denied", answer["error"]);
        Assert.Equal("state-123", answer["state"]);
        Assert.Equal(Issuer, answer["iss"]);
        Assert.False(answer.ContainsKey("code"));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM indieauth_codes WHERE member_id = @Id", member.Id));
    }

    [Theory]
    [InlineData(MemberRole.Member)]
    [InlineData(MemberRole.Reader)]
    public async Task PeopleWhoDoNotWriteAreRefusedAndGetNoCode(MemberRole role)
    {
        var (person, member) = await BlogClient.SignedInAsync(app, role);
        using var signedIn = person;
        var url = AuthorizationUrl(PkcePair.Create(), "create");

        using var page = await person.GetAsync(url);
        var token = await person.AntiforgeryTokenAsync();
        using var forcedConsent = await person.Http.PostAsync("/indieauth/auth/consent", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["response_type"] = "code", ["client_id"] = ClientId, ["redirect_uri"] = RedirectUri, ["state"] = "s",
            ["code_challenge"] = PkcePair.Create().Challenge, ["code_challenge_method"] = "S256", ["scope"] = "create",
            ["grant"] = "create", ["decision"] = "approve", [BlogClient.AntiforgeryField] = token,
        }));

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("Only the blog's authors can connect apps", await BlogClient.TextOfAsync(page), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, forcedConsent.StatusCode);
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM indieauth_codes WHERE member_id = @Id", member.Id));
    }

    [Fact]
    public async Task ABannedAuthorsTokenStopsWorkingAndTheirCodesCannotBeRedeemed()
    {
        var (author, member) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;
        var (code, pkce) = await CodeAsync(author, "create");
        var (laterCode, laterPkce) = await CodeAsync(author, "create");
        var (_, body) = await RedeemAsync(app, code, pkce.Verifier);
        var token = body.GetProperty("access_token").GetString();

        Execute("UPDATE members SET banned_at = '2026-01-01 00:00:00.0000000' WHERE id = @Id", member.Id);
        var (laterStatus, _) = await RedeemAsync(app, laterCode, laterPkce.Verifier);

        Assert.Null(await Tokens.FindActiveAsync(token, CancellationToken.None));
        Assert.Equal(HttpStatusCode.BadRequest, laterStatus);
    }

    [Fact]
    public async Task AnAuthorMadeAMemberLosesTheirApps()
    {
        var (author, member) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;
        var (code, pkce) = await CodeAsync(author, "create");
        var (_, body) = await RedeemAsync(app, code, pkce.Verifier);

        Execute("UPDATE members SET role = 'member' WHERE id = @Id", member.Id);

        Assert.Null(await Tokens.FindActiveAsync(body.GetProperty("access_token").GetString(), CancellationToken.None));
    }

    [Fact]
    public async Task SomeoneSignedOutSignsInAndComesBackToTheConsentPage()
    {
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Author);
        using var person = new BlogClient(app);
        var url = AuthorizationUrl(PkcePair.Create(), "create");

        using var first = await person.GetAsync(url);
        var signInPage = first.Headers.Location!.OriginalString;
        using var signedIn = await person.SubmitFormAsync(signInPage, new Dictionary<string, string> { ["Email"] = member.Email!, ["Password"] = BlogClient.Password });
        var consent = await person.GetPageAsync(signedIn.Headers.Location!.OriginalString);

        Assert.StartsWith("/account/sign-in?ReturnUrl=", signInPage, StringComparison.Ordinal);
        Assert.Equal(url, signedIn.Headers.Location!.OriginalString);
        Assert.Contains("app.example", consent.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(ClientId, consent.QuerySelector(".app-facts code")!.TextContent);
    }

    [Fact]
    public async Task WithNoScopeTheCodeGivesOnlyTheIdentityAndNoToken()
    {
        var (author, member) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;
        var (code, pkce) = await CodeAsync(author, "");

        var (status, body) = await RedeemAsync(app, code, pkce.Verifier, path: "/indieauth/auth", grantType: null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Issuer, body.GetProperty("me").GetString());
        Assert.False(body.TryGetProperty("access_token", out _));
        Assert.Equal(0, TokenCount(member.Id));
    }

    [Fact]
    public async Task TheProfileScopeAddsTheAuthorsName()
    {
        var (author, member) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;
        var (code, pkce) = await CodeAsync(author, "profile create");

        var (_, body) = await RedeemAsync(app, code, pkce.Verifier);

        Assert.Equal(member.DisplayName, body.GetProperty("profile").GetProperty("name").GetString());
        Assert.Equal("create profile", string.Join(' ', body.GetProperty("scope").GetString()!.Split(' ').Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task IntrospectionAnswersForTheCallersOwnTokensAndRevocationEndsOne()
    {
        var (author, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        var (other, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var signedIn = author;
        using var otherSignedIn = other;
        var token = await TokenAsync(app, author, "create update");
        var otherToken = await TokenAsync(app, other, "create");

        var (withoutBearer, _) = await PostFormAsync(app, "/indieauth/introspect", [new("token", token)]);
        var (_, own) = await PostFormAsync(app, "/indieauth/introspect", [new("token", token)], bearer: token);
        var (_, someoneElses) = await PostFormAsync(app, "/indieauth/introspect", [new("token", otherToken)], bearer: token);
        var (revoked, _) = await PostFormAsync(app, "/indieauth/revoke", [new("token", token)]);
        var (afterRevoke, _) = await PostFormAsync(app, "/indieauth/introspect", [new("token", token)], bearer: token);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutBearer);
        Assert.True(own.GetProperty("active").GetBoolean());
        Assert.Equal(Issuer, own.GetProperty("me").GetString());
        Assert.Equal(ClientId, own.GetProperty("client_id").GetString());
        Assert.Equal("create update", own.GetProperty("scope").GetString());
        Assert.True(own.GetProperty("iat").GetInt64() > 0);
        Assert.False(someoneElses.GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, revoked);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke);
        Assert.Null(await Tokens.FindActiveAsync(token, CancellationToken.None));
        Assert.NotNull(await Tokens.FindActiveAsync(otherToken, CancellationToken.None));
    }

    private long TokenCount(string memberId) => Scalar("SELECT COUNT(*) FROM indieauth_tokens WHERE member_id = @Id", memberId);

    private long Scalar(string sql, string memberId)
    {
        using var db = app.OpenDatabase();
        return db.ExecuteScalar<long>(sql, new { Id = memberId });
    }

    private void Execute(string sql, string memberId)
    {
        using var db = app.OpenDatabase();
        db.Execute(sql, new { Id = memberId });
    }
}
