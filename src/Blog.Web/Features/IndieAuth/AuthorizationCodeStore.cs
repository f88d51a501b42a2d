using System.Security.Cryptography;
using System.Text;
using Blog.Web.Data;
using Blog.Web.Identity;
using Dapper;
using Microsoft.AspNetCore.WebUtilities;

namespace Blog.Web.Features.IndieAuth;

/// <summary>What redeeming a code gave: an OAuth error, or whose grant it was (and the token, when one was issued).</summary>
public sealed record CodeRedemption(string? Error, string? ErrorDescription, string MemberId = "", string Scope = "", string? AccessToken = null)
{
    public static CodeRedemption Refused(string description) => new("invalid_grant", description);
}

/// <summary>
/// Authorization codes: 256 random bits, stored as a hash, good once for ten minutes, and only together with the
/// client, redirect address and PKCE verifier they were issued for. A code used twice was probably stolen: the second
/// use revokes the token the first one got.
/// </summary>
public sealed class AuthorizationCodeStore(BlogDatabase db, TimeProvider clock, AccessTokenStore tokens)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    /// <summary>How long a used or expired code is remembered, so that a replay is still recognised.</summary>
    private static readonly TimeSpan Remembered = TimeSpan.FromDays(1);

    private static readonly string[] WriterRoles = Policies.AuthorRoleNames;

    public async Task<string> CreateAsync(string memberId, Uri clientId, string clientName, Uri redirectUri, string scope, string codeChallenge, CancellationToken ct)
    {
        var code = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow().UtcDateTime;
        const string sql = """
            DELETE FROM indieauth_codes WHERE expires_at < @Forgotten;
            INSERT INTO indieauth_codes (code_hash, member_id, client_id, client_name, redirect_uri, scope, code_challenge, created_at, expires_at)
            VALUES (@CodeHash, @MemberId, @ClientId, @ClientName, @RedirectUri, @Scope, @CodeChallenge, @Now, @ExpiresAt);
            """;
        await using var write = await db.BeginWriteAsync(ct);
        await write.Connection.ExecuteAsync(new CommandDefinition(sql, new
        {
            CodeHash = AccessTokenStore.Hash(code),
            MemberId = memberId,
            ClientId = clientId.OriginalString,
            ClientName = clientName,
            RedirectUri = redirectUri.OriginalString,
            Scope = scope,
            CodeChallenge = codeChallenge,
            Now = now,
            ExpiresAt = now + Lifetime,
            Forgotten = now - Remembered,
        }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
        return code;
    }

    /// <summary>
    /// Uses up the code (whatever the outcome: a wrong verifier leaves no second try) and checks it against the
    /// exchange; with <paramref name="issueToken"/> and a scope granted, issues the token in the same transaction.
    /// </summary>
    public async Task<CodeRedemption> RedeemAsync(CodeExchangeForm exchange, bool issueToken, CancellationToken ct)
    {
        const string findSql = """
            SELECT c.member_id, c.client_id, c.client_name, c.redirect_uri, c.scope, c.code_challenge, c.expires_at, c.used_at, c.token_id,
                   m.role AS member_role, m.banned_at AS member_banned_at
            FROM indieauth_codes c
            JOIN members m ON m.id = c.member_id
            WHERE c.code_hash = @CodeHash;
            """;
        const string useSql = "UPDATE indieauth_codes SET used_at = @Now WHERE code_hash = @CodeHash;";
        const string revokeSql = "UPDATE indieauth_tokens SET revoked_at = @Now WHERE id = @TokenId AND revoked_at IS NULL;";
        const string linkSql = "UPDATE indieauth_codes SET token_id = @TokenId WHERE code_hash = @CodeHash;";
        var now = clock.GetUtcNow().UtcDateTime;
        var codeHash = AccessTokenStore.Hash(exchange.Code ?? "");
        await using var write = await db.BeginWriteAsync(ct);
        var code = await write.Connection.QuerySingleOrDefaultAsync<StoredCode>(
            new CommandDefinition(findSql, new { CodeHash = codeHash }, write.Transaction, cancellationToken: ct));
        if (code is null)
        {
            return CodeRedemption.Refused("The authorization code is not known here (or expired long ago).");
        }
        if (code.UsedAt is not null)
        {
            await write.Connection.ExecuteAsync(new CommandDefinition(revokeSql, new { code.TokenId, Now = now }, write.Transaction, cancellationToken: ct));
            await write.CommitAsync(ct);
            return CodeRedemption.Refused("The authorization code was already used. Any token issued for it is now revoked.");
        }
        await write.Connection.ExecuteAsync(new CommandDefinition(useSql, new { CodeHash = codeHash, Now = now }, write.Transaction, cancellationToken: ct));
        var problem = Problem(code, exchange, now);
        if (problem is not null || !issueToken || code.Scope.Length == 0)
        {
            await write.CommitAsync(ct);
            return problem is null ? new CodeRedemption(null, null, code.MemberId, code.Scope) : CodeRedemption.Refused(problem);
        }
        var (token, row) = await tokens.IssueAsync(write, code.MemberId, code.ClientId, code.ClientName, code.Scope, lifetime: null, ct);
        await write.Connection.ExecuteAsync(new CommandDefinition(linkSql, new { TokenId = row.Id, CodeHash = codeHash }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
        return new CodeRedemption(null, null, code.MemberId, code.Scope, token);
    }

    private static string? Problem(StoredCode code, CodeExchangeForm exchange, DateTime now)
    {
        if (code.ExpiresAt <= now)
        {
            return "The authorization code has expired (codes are good for ten minutes). Ask the person to sign in again.";
        }
        if (!string.Equals(code.ClientId, exchange.ClientId, StringComparison.Ordinal))
        {
            return "The client_id is not the one the code was issued to.";
        }
        if (!string.Equals(code.RedirectUri, exchange.RedirectUri, StringComparison.Ordinal))
        {
            return "The redirect_uri is not the one the code was issued for.";
        }
        if (!Pkce.Matches(exchange.CodeVerifier, code.CodeChallenge))
        {
            return "The code_verifier does not match the code_challenge of the authorization request.";
        }
        if (code.MemberBannedAt is not null || !WriterRoles.Contains(code.MemberRole, StringComparer.Ordinal))
        {
            return "The person who approved this app may no longer write on this blog.";
        }
        return null;
    }

    private sealed record StoredCode
    {
        public string MemberId { get; init; } = "";
        public string ClientId { get; init; } = "";
        public string ClientName { get; init; } = "";
        public string RedirectUri { get; init; } = "";
        public string Scope { get; init; } = "";
        public string CodeChallenge { get; init; } = "";
        public DateTime ExpiresAt { get; init; }
        public DateTime? UsedAt { get; init; }
        public long? TokenId { get; init; }
        public string MemberRole { get; init; } = "";
        public DateTime? MemberBannedAt { get; init; }
    }
}

/// <summary>Proof Key for Code Exchange with S256, the only method this blog accepts ("plain" protects nothing).</summary>
public static class Pkce
{
    public const string Method = "S256";

    /// <summary>A verifier is 43 to 128 of A-Z a-z 0-9 - . _ ~ (RFC 7636).</summary>
    public static bool IsValidVerifier(string? verifier) =>
        verifier is { Length: >= 43 and <= 128 } && verifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    /// <summary>An S256 challenge is the 43-character unpadded base64url form of a SHA-256.</summary>
    public static bool IsValidChallenge(string? challenge) =>
        challenge is { Length: 43 } && challenge.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string ChallengeOf(string verifier) => WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    public static bool Matches(string? verifier, string challenge) =>
        IsValidVerifier(verifier)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ChallengeOf(verifier!)), Encoding.ASCII.GetBytes(challenge));
}
