using System.Security.Cryptography;
using System.Text;
using Blog.Web.Data;
using Blog.Web.Identity;
using Dapper;
using Microsoft.AspNetCore.WebUtilities;

namespace Blog.Web.Features.IndieAuth;

/// <summary>The scopes an app may be granted: what a Micropub request needs, checked by the endpoint on every request.</summary>
public static class TokenScopes
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Delete = "delete";
    public const string Media = "media";

    /// <summary>Every scope this blog grants, in the order the consent page lists them.</summary>
    public static readonly IReadOnlyList<string> All = [Create, Update, Delete, Media];

    /// <summary>The known scopes among a space-separated list, each once; unknown ones are dropped, never granted.</summary>
    public static IReadOnlyList<string> Parse(string? scope) =>
        [.. All.Where(known => (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(known, StringComparer.Ordinal))];
}

/// <summary>An app's access token as the blog knows it: whose it is and what it may do.</summary>
public sealed record AccessToken
{
    public long Id { get; init; }

    public string MemberId { get; init; } = "";

    public string ClientId { get; init; } = "";

    public string ClientName { get; init; } = "";

    /// <summary>Space-separated scopes, as granted.</summary>
    public string Scope { get; init; } = "";

    public DateTime CreatedAt { get; init; }

    public DateTime? LastUsedAt { get; init; }

    public DateTime? ExpiresAt { get; init; }

    public bool Allows(string scope) => TokenScopes.Parse(Scope).Contains(scope);
}

/// <summary>
/// The SQL and secrets of app access tokens. A token is 256 random bits; only its SHA-256 is stored, so a copy of the
/// database grants nothing. A token stops working when it is revoked, when it expires, and as soon as its owner is
/// banned or is no longer an author: the role is read with the token on every request.
/// </summary>
public sealed class AccessTokenStore(BlogDatabase db, TimeProvider clock)
{
    private static readonly string[] WriterRoles = Policies.AuthorRoleNames;

    /// <summary>A new token for the app; the returned text is shown to the app once and never stored.</summary>
    public async Task<(string Token, AccessToken Row)> IssueAsync(
        string memberId, string clientId, string clientName, string scope, TimeSpan? lifetime, CancellationToken ct)
    {
        await using var write = await db.BeginWriteAsync(ct);
        var issued = await IssueAsync(write, memberId, clientId, clientName, scope, lifetime, ct);
        await write.CommitAsync(ct);
        return issued;
    }

    /// <summary>A new token written within <paramref name="write"/>, so that it stands or falls with the rest of it.</summary>
    public async Task<(string Token, AccessToken Row)> IssueAsync(DatabaseWrite write,
        string memberId, string clientId, string clientName, string scope, TimeSpan? lifetime, CancellationToken ct)
    {
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow().UtcDateTime;
        var row = new AccessToken
        {
            MemberId = memberId,
            ClientId = clientId,
            ClientName = clientName,
            Scope = scope,
            CreatedAt = now,
            ExpiresAt = lifetime is { } life ? now + life : null,
        };
        const string sql = """
            INSERT INTO indieauth_tokens (token_hash, member_id, client_id, client_name, scope, created_at, expires_at)
            VALUES (@TokenHash, @MemberId, @ClientId, @ClientName, @Scope, @CreatedAt, @ExpiresAt)
            RETURNING id;
            """;
        var id = await write.Connection.ExecuteScalarAsync<long>(new CommandDefinition(sql,
            new { TokenHash = Hash(token), row.MemberId, row.ClientId, row.ClientName, row.Scope, row.CreatedAt, row.ExpiresAt },
            write.Transaction, cancellationToken: ct));
        return (token, row with { Id = id });
    }

    /// <summary>The token's grant if it is still good (not revoked or expired, its owner an unbanned author); else null.</summary>
    public async Task<AccessToken?> FindActiveAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200)
        {
            return null;
        }
        var sql = db.Dialect.Text(new DialectSql(
            Sqlite: """
                SELECT t.id, t.member_id, t.client_id, t.client_name, t.scope, t.created_at, t.last_used_at, t.expires_at
                FROM indieauth_tokens t
                JOIN members m ON m.id = t.member_id
                WHERE t.token_hash = @TokenHash
                  AND t.revoked_at IS NULL
                  AND (t.expires_at IS NULL OR t.expires_at > @Now)
                  AND m.banned_at IS NULL
                  AND m.role IN @WriterRoles;
                """,
            PostgreSql: """
                SELECT t.id, t.member_id, t.client_id, t.client_name, t.scope, t.created_at, t.last_used_at, t.expires_at
                FROM indieauth_tokens t
                JOIN members m ON m.id = t.member_id
                WHERE t.token_hash = @TokenHash
                  AND t.revoked_at IS NULL
                  AND (t.expires_at IS NULL OR t.expires_at > @Now)
                  AND m.banned_at IS NULL
                  AND m.role = ANY(@WriterRoles);
                """));
        var now = clock.GetUtcNow().UtcDateTime;
        AccessToken? found;
        await using (var connection = await db.OpenAsync(ct))
        {
            found = await connection.QuerySingleOrDefaultAsync<AccessToken>(new CommandDefinition(sql,
                new { TokenHash = Hash(token), Now = now, WriterRoles }, cancellationToken: ct));
        }
        // "Last used" is for the person deciding which apps to keep: to the hour is enough, and it keeps a busy
        // app from writing on every request.
        if (found is not null && (found.LastUsedAt is null || now - found.LastUsedAt > LastUsedPrecision))
        {
            await TouchAsync(found.Id, now, ct);
            found = found with { LastUsedAt = now };
        }
        return found;
    }

    private static readonly TimeSpan LastUsedPrecision = TimeSpan.FromHours(1);

    private async Task TouchAsync(long id, DateTime now, CancellationToken ct)
    {
        const string sql = "UPDATE indieauth_tokens SET last_used_at = @Now WHERE id = @Id;";
        await using var write = await db.BeginWriteAsync(ct);
        await write.Connection.ExecuteAsync(new CommandDefinition(sql, new { Id = id, Now = now }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
    }

    /// <summary>The person's apps that may still act for them, newest first (the account page's list).</summary>
    public async Task<IReadOnlyList<AccessToken>> ListActiveAsync(string memberId, CancellationToken ct)
    {
        const string sql = """
            SELECT id, member_id, client_id, client_name, scope, created_at, last_used_at, expires_at
            FROM indieauth_tokens
            WHERE member_id = @MemberId AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > @Now)
            ORDER BY created_at DESC, id DESC
            LIMIT @Limit;
            """;
        await using var connection = await db.OpenAsync(ct);
        return [.. await connection.QueryAsync<AccessToken>(new CommandDefinition(sql,
            new { MemberId = memberId, Now = clock.GetUtcNow().UtcDateTime, Limit = MaxListed }, cancellationToken: ct))];
    }

    /// <summary>More apps than anyone signs in with; the list stays one cheap page even if an app loops on sign-in.</summary>
    public const int MaxListed = 200;

    /// <summary>Stops the token given as text (the revocation endpoint: holding a token is the right to end it).</summary>
    public async Task RevokeTokenAsync(string token, CancellationToken ct)
    {
        const string sql = "UPDATE indieauth_tokens SET revoked_at = @Now WHERE token_hash = @TokenHash AND revoked_at IS NULL;";
        await using var write = await db.BeginWriteAsync(ct);
        await write.Connection.ExecuteAsync(new CommandDefinition(sql,
            new { TokenHash = Hash(token), Now = clock.GetUtcNow().UtcDateTime }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
    }

    /// <summary>Stops the token from working; true if it was active and belonged to <paramref name="memberId"/>.</summary>
    public async Task<bool> RevokeAsync(long id, string memberId, CancellationToken ct)
    {
        const string sql = "UPDATE indieauth_tokens SET revoked_at = @Now WHERE id = @Id AND member_id = @MemberId AND revoked_at IS NULL;";
        await using var write = await db.BeginWriteAsync(ct);
        var changed = await write.Connection.ExecuteAsync(new CommandDefinition(sql,
            new { Id = id, MemberId = memberId, Now = clock.GetUtcNow().UtcDateTime }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
        return changed == 1;
    }

    /// <summary>The stored form of a secret (tokens here, authorization codes in the IndieAuth flow).</summary>
    public static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
