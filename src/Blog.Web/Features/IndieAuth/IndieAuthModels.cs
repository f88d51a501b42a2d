using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.IndieAuth;

/// <summary>An app's authorization request, as sent to the authorization endpoint and carried through the consent form.</summary>
public sealed class AuthorizationRequest
{
    [ModelBinder(Name = "response_type")]
    public string? ResponseType { get; set; }

    [ModelBinder(Name = "client_id")]
    public string? ClientId { get; set; }

    [ModelBinder(Name = "redirect_uri")]
    public string? RedirectUri { get; set; }

    [ModelBinder(Name = "state")]
    public string? State { get; set; }

    [ModelBinder(Name = "code_challenge")]
    public string? CodeChallenge { get; set; }

    [ModelBinder(Name = "code_challenge_method")]
    public string? CodeChallengeMethod { get; set; }

    [ModelBinder(Name = "scope")]
    public string? Scope { get; set; }

    [ModelBinder(Name = "me")]
    public string? Me { get; set; }
}

/// <summary>A code exchange at the token endpoint (or, for sign-in only, the authorization endpoint).</summary>
public sealed class CodeExchangeForm
{
    [ModelBinder(Name = "grant_type")]
    public string? GrantType { get; set; }

    [ModelBinder(Name = "code")]
    public string? Code { get; set; }

    [ModelBinder(Name = "client_id")]
    public string? ClientId { get; set; }

    [ModelBinder(Name = "redirect_uri")]
    public string? RedirectUri { get; set; }

    [ModelBinder(Name = "code_verifier")]
    public string? CodeVerifier { get; set; }
}

/// <summary>The consent page: who asks, for what, and where the answer goes.</summary>
public sealed record ConsentPage(AuthorizationRequest Request, string ClientName, string ClientId, string RedirectHost,
    IReadOnlyList<ScopeChoice> Scopes, IReadOnlyList<string> Refused);

/// <summary>One scope on the consent page, with what it lets the app do.</summary>
public sealed record ScopeChoice(string Name, string Description);

/// <summary>The page that sends the browser back to the app (a form may not redirect to another site, see the view).</summary>
public sealed record ReturnToAppPage(string ClientName, string Url, bool Approved);

/// <summary>The account page's list of apps.</summary>
public sealed record AppsPage(IReadOnlyList<AccessToken> Apps, bool MayGrant);
