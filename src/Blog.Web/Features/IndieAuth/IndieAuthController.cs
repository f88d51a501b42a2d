using System.Globalization;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Blog.Web.Features.IndieAuth;

/// <summary>
/// The IndieAuth authorization server: an app asks, the person (an author or the owner, signed in with the blog's own
/// account) consents, the app exchanges the code for a token. The app-facing endpoints take no cookies and no
/// antiforgery token: apps call them, and what they accept is proven by the code, the verifier or the token itself.
/// </summary>
public sealed class IndieAuthController(
    CanonicalAddress address,
    AuthorizationCodeStore codes,
    AccessTokenStore tokens,
    UserManager<Member> users) : Controller
{
    public const string AuthorizationPath = "/indieauth/auth";
    public const string TokenPath = "/indieauth/token";
    public const string IntrospectionPath = "/indieauth/introspect";
    public const string RevocationPath = "/indieauth/revoke";
    public const string MetadataPath = "/.well-known/oauth-authorization-server";

    /// <summary>A code exchange or token check is a few short fields; nothing bigger is read.</summary>
    private const int MaxFormBytes = 16 * 1024;

    private static readonly Dictionary<string, string> ScopeDescriptions = new()
    {
        [TokenScopes.Create] = "Publish new posts in your name",
        [TokenScopes.Update] = "Change your posts",
        [TokenScopes.Delete] = "Delete your posts (and put them back)",
        [TokenScopes.Media] = "Upload pictures to the blog",
        [AuthorizationRequestRules.ProfileScope] = "See your display name",
    };

    /// <summary>The person's identity URL ("me") and the issuer: the blog's own address.</summary>
    private string Issuer => address.Base + "/";

    private static readonly string[] Bearer = ["Bearer"];
    private static readonly string[] NoClientAuthentication = ["none"];
    private static readonly string[] CodeResponse = ["code"];
    private static readonly string[] CodeGrant = ["authorization_code"];
    private static readonly string[] ChallengeMethods = [Pkce.Method];

    [HttpGet(MetadataPath)]
    public IActionResult Metadata() => NoStoreJson(new Dictionary<string, object>
    {
        ["issuer"] = Issuer,
        ["authorization_endpoint"] = address.Absolute(AuthorizationPath),
        ["token_endpoint"] = address.Absolute(TokenPath),
        ["introspection_endpoint"] = address.Absolute(IntrospectionPath),
        ["introspection_endpoint_auth_methods_supported"] = Bearer,
        ["revocation_endpoint"] = address.Absolute(RevocationPath),
        ["revocation_endpoint_auth_methods_supported"] = NoClientAuthentication,
        ["scopes_supported"] = AuthorizationRequestRules.Grantable,
        ["response_types_supported"] = CodeResponse,
        ["grant_types_supported"] = CodeGrant,
        ["code_challenge_methods_supported"] = ChallengeMethods,
        ["authorization_response_iss_parameter_supported"] = true,
    });

    [HttpGet(AuthorizationPath)]
    [AllowAnonymous]
    public IActionResult Authorize(AuthorizationRequest? request)
    {
        // A request MVC could not bind at all (an unreadable body or query) is an empty one.
        request ??= new();
        var check = AuthorizationRequestRules.Check(request);
        if (check.PageProblem is not null)
        {
            return Message(StatusCodes.Status400BadRequest, "This app's sign-in request can't be used", check.PageProblem);
        }
        if (check.Error is not null)
        {
            return Redirect(AuthorizationRequestRules.Answer(check.RedirectUri, ErrorAnswer(check.Error, check.ErrorDescription, request.State)));
        }
        if (User.Identity?.IsAuthenticated != true)
        {
            return Challenge();
        }
        if (!MayGrant())
        {
            return Refusal();
        }
        var clientName = ClientAddresses.DisplayName(check.ClientId);
        return View("Consent", new ConsentPage(request, clientName, check.ClientId.OriginalString, ClientAddresses.DisplayName(check.RedirectUri),
            [.. check.Scopes.Select(scope => new ScopeChoice(scope, ScopeDescriptions[scope]))], check.Refused));
    }

    [HttpPost(AuthorizationPath + "/consent")]
    [Authorize]
    [RequestSizeLimit(MaxFormBytes)]
    public async Task<IActionResult> Consent(AuthorizationRequest? request,
        [FromForm(Name = "grant")] List<string>? grant, [FromForm(Name = "decision")] string? decision, CancellationToken ct)
    {
        if (!MayGrant())
        {
            return Refusal();
        }
        request ??= new();
        var check = AuthorizationRequestRules.Check(request);
        if (check.PageProblem is not null)
        {
            return Message(StatusCodes.Status400BadRequest, "This app's sign-in request can't be used", check.PageProblem);
        }
        var clientName = ClientAddresses.DisplayName(check.ClientId);
        if (check.Error is not null || decision != "approve")
        {
            var (error, description) = check.Error is null ? ("access_denied", "The person declined.") : (check.Error, check.ErrorDescription);
            return View("ReturnToApp", new ReturnToAppPage(clientName,
                AuthorizationRequestRules.Answer(check.RedirectUri, ErrorAnswer(error, description, request.State)), Approved: false));
        }
        // Only what was both asked for and left ticked; a scope the app never asked for cannot be ticked in.
        var granted = string.Join(' ', check.Scopes.Where(scope => (grant ?? []).Contains(scope, StringComparer.Ordinal)));
        var code = await codes.CreateAsync(User.Id()!, check.ClientId, clientName, check.RedirectUri, granted, request.CodeChallenge!, ct);
        return View("ReturnToApp", new ReturnToAppPage(clientName, AuthorizationRequestRules.Answer(check.RedirectUri,
        [
            new("code", code),
            new("state", request.State),
            new("iss", Issuer),
        ]), Approved: true));
    }

    /// <summary>Redeeming a code for the person's identity alone (sign-in with the blog), never a token.</summary>
    [HttpPost(AuthorizationPath)]
    [AllowAnonymous]
    [IgnoreAntiforgeryToken]
    [EnableRateLimiting(RateLimits.AppTokens)]
    [RequestSizeLimit(MaxFormBytes)]
    public Task<IActionResult> RedeemForProfile([FromForm] CodeExchangeForm? exchange, CancellationToken ct) =>
        RedeemAsync(exchange, issueToken: false, ct);

    [HttpPost(TokenPath)]
    [AllowAnonymous]
    [IgnoreAntiforgeryToken]
    [EnableRateLimiting(RateLimits.AppTokens)]
    [RequestSizeLimit(MaxFormBytes)]
    public Task<IActionResult> Token([FromForm] CodeExchangeForm? exchange, CancellationToken ct) =>
        RedeemAsync(exchange, issueToken: true, ct);

    [HttpPost(IntrospectionPath)]
    [AllowAnonymous]
    [IgnoreAntiforgeryToken]
    [EnableRateLimiting(RateLimits.AppTokens)]
    [RequestSizeLimit(MaxFormBytes)]
    public async Task<IActionResult> Introspect([FromForm(Name = "token")] string? token, CancellationToken ct)
    {
        // Whoever asks proves it with a token of their own, and only learns about tokens of the same person.
        var caller = await tokens.FindActiveAsync(BearerToken(), ct);
        if (caller is null)
        {
            Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return NoStoreJson(new Dictionary<string, object> { ["error"] = "invalid_token", ["error_description"] = "Send an active access token as Authorization: Bearer." },
                StatusCodes.Status401Unauthorized);
        }
        var found = await tokens.FindActiveAsync(token, ct);
        if (found is null || found.MemberId != caller.MemberId)
        {
            return NoStoreJson(new Dictionary<string, object> { ["active"] = false });
        }
        var answer = new Dictionary<string, object>
        {
            ["active"] = true,
            ["me"] = Issuer,
            ["client_id"] = found.ClientId,
            ["scope"] = found.Scope,
            ["iat"] = UnixTime(found.CreatedAt),
        };
        if (found.ExpiresAt is { } expires)
        {
            answer["exp"] = UnixTime(expires);
        }
        return NoStoreJson(answer);
    }

    /// <summary>RFC 7009: holding a token is the right to end it; the answer is the same whether or not it was known.</summary>
    [HttpPost(RevocationPath)]
    [AllowAnonymous]
    [IgnoreAntiforgeryToken]
    [EnableRateLimiting(RateLimits.AppTokens)]
    [RequestSizeLimit(MaxFormBytes)]
    public async Task<IActionResult> Revoke([FromForm(Name = "token")] string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200)
        {
            return OAuthError("invalid_request", "Send the token to revoke as token=….");
        }
        await tokens.RevokeTokenAsync(token, ct);
        return Ok();
    }

    private async Task<IActionResult> RedeemAsync(CodeExchangeForm? exchange, bool issueToken, CancellationToken ct)
    {
        // MVC gives no model at all for a form it could not read (bad encoding): that is a malformed request too.
        if (exchange is null)
        {
            return OAuthError("invalid_request", "The request must be a readable form (application/x-www-form-urlencoded).");
        }
        if (issueToken && string.IsNullOrEmpty(exchange.GrantType))
        {
            return OAuthError("invalid_request", "grant_type=authorization_code is required.");
        }
        if (exchange.GrantType is { } grantType && grantType != "authorization_code")
        {
            return OAuthError("unsupported_grant_type", "Only grant_type=authorization_code is supported.");
        }
        if (string.IsNullOrEmpty(exchange.Code) || exchange.Code.Length > 100 || string.IsNullOrEmpty(exchange.ClientId)
            || string.IsNullOrEmpty(exchange.RedirectUri) || !Pkce.IsValidVerifier(exchange.CodeVerifier))
        {
            return OAuthError("invalid_request", "code, client_id, redirect_uri and a code_verifier of 43 to 128 characters are required.");
        }
        var redemption = await codes.RedeemAsync(exchange, issueToken, ct);
        if (redemption.Error is not null)
        {
            return OAuthError(redemption.Error, redemption.ErrorDescription!);
        }
        var answer = new Dictionary<string, object> { ["me"] = Issuer };
        if (redemption.AccessToken is not null)
        {
            answer["access_token"] = redemption.AccessToken;
            answer["token_type"] = "Bearer";
            answer["scope"] = redemption.Scope;
        }
        if (redemption.Scope.Split(' ').Contains(AuthorizationRequestRules.ProfileScope, StringComparer.Ordinal)
            && await users.FindByIdAsync(redemption.MemberId) is { } member)
        {
            answer["profile"] = new Dictionary<string, string> { ["name"] = member.DisplayName, ["url"] = Issuer };
        }
        return NoStoreJson(answer);
    }

    private bool MayGrant() => User.IsAuthor() && !User.IsBanned();

    private ViewResult Refusal() => Message(StatusCodes.Status403Forbidden, "Only the blog's authors can connect apps",
        "Apps sign in here to write on this blog, so only its authors and its owner can let one in. Your account can't.");

    private ViewResult Message(int status, string heading, string text)
    {
        Response.StatusCode = status;
        return View("Message", new MessagePage(heading, text));
    }

    private Dictionary<string, string?> ErrorAnswer(string error, string? description, string? state) => new()
    {
        ["error"] = error,
        ["error_description"] = description,
        ["state"] = string.IsNullOrEmpty(state) || state.Length > AuthorizationRequestRules.MaxStateLength ? null : state,
        ["iss"] = Issuer,
    };

    private JsonResult OAuthError(string error, string description) =>
        NoStoreJson(new Dictionary<string, object> { ["error"] = error, ["error_description"] = description }, StatusCodes.Status400BadRequest);

    private JsonResult NoStoreJson(object value, int status = StatusCodes.Status200OK)
    {
        // Tokens and answers about them must not be kept by a cache on the way (RFC 6749 section 5.1).
        Response.Headers.CacheControl = "no-store";
        return new JsonResult(value) { StatusCode = status };
    }

    private string? BearerToken()
    {
        var header = Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    private static long UnixTime(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeSeconds();
}
