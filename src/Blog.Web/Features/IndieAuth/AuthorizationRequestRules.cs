using Microsoft.AspNetCore.WebUtilities;

namespace Blog.Web.Features.IndieAuth;

/// <summary>
/// What an authorization request must hold, and where a problem is told. A request whose client_id or redirect_uri is
/// unusable is answered with a page: the blog never sends anyone to an address it could not tie to the app. Any other
/// problem goes back to the app (error, state and iss on its redirect_uri), as OAuth says.
/// </summary>
public sealed record CheckedRequest
{
    public string? PageProblem { get; init; }

    public string? Error { get; init; }

    public string? ErrorDescription { get; init; }

    public Uri ClientId { get; init; } = null!;

    public Uri RedirectUri { get; init; } = null!;

    /// <summary>The scopes asked for that this blog grants, in its own order.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The scopes asked for that this blog never grants (shown, never offered).</summary>
    public IReadOnlyList<string> Refused { get; init; } = [];
}

public static class AuthorizationRequestRules
{
    /// <summary>Identifying the person to the app: their name and the blog's address in the token response.</summary>
    public const string ProfileScope = "profile";

    public const int MaxStateLength = 1000;

    public const int MaxScopeLength = 1000;

    /// <summary>Every scope the consent page may offer: the writing scopes, then the profile.</summary>
    public static readonly IReadOnlyList<string> Grantable = [.. TokenScopes.All, ProfileScope];

    public static CheckedRequest Check(AuthorizationRequest request)
    {
        if (!ClientAddresses.TryParseClientId(request.ClientId, out var clientId, out var problem)
            || !ClientAddresses.TryParseRedirectUri(request.RedirectUri, clientId, out var redirectUri, out problem))
        {
            return new CheckedRequest { PageProblem = problem };
        }
        var requested = (request.Scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var valid = new CheckedRequest
        {
            ClientId = clientId,
            RedirectUri = redirectUri,
            Scopes = [.. Grantable.Where(scope => requested.Contains(scope, StringComparer.Ordinal))],
            Refused = [.. requested.Where(scope => !Grantable.Contains(scope, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).Take(10)],
        };
        var (error, description) = RequestProblem(request);
        return error is null ? valid : valid with { Error = error, ErrorDescription = description };
    }

    private static (string? Error, string? Description) RequestProblem(AuthorizationRequest request)
    {
        if (request.ResponseType != "code")
        {
            return ("unsupported_response_type", "Only response_type=code is supported.");
        }
        if (string.IsNullOrEmpty(request.State) || request.State.Length > MaxStateLength)
        {
            return ("invalid_request", $"A state of 1 to {MaxStateLength} characters is required.");
        }
        if (request.CodeChallengeMethod != Pkce.Method)
        {
            return ("invalid_request", "PKCE is required, with code_challenge_method=S256 (plain is not accepted).");
        }
        if (!Pkce.IsValidChallenge(request.CodeChallenge))
        {
            return ("invalid_request", "The code_challenge must be the base64url SHA-256 of the code verifier (43 characters).");
        }
        if ((request.Scope?.Length ?? 0) > MaxScopeLength)
        {
            return ("invalid_scope", $"The scope is longer than {MaxScopeLength} characters.");
        }
        return (null, null);
    }

    /// <summary>The app's redirect_uri with the answer added to whatever query it already has.</summary>
    public static string Answer(Uri redirectUri, IEnumerable<KeyValuePair<string, string?>> parameters) =>
        QueryHelpers.AddQueryString(redirectUri.OriginalString, parameters.Where(p => p.Value is not null));
}
