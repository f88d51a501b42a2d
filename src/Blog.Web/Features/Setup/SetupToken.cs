using System.Security.Cryptography;
using System.Text;
using Blog.Web.Data;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace Blog.Web.Features.Setup;

/// <summary>
/// The one-time secret that lets someone create the owner of a fresh blog. Only its hash is kept, in the database
/// (<c>setup_links</c>, one row), so every instance of the blog accepts the same link; each start without an owner
/// issues a new one, unless another start issued one moments ago (instances started together). Redeeming it takes
/// the row in one statement, so two people racing with the same link, on one instance or two, cannot both succeed.
/// </summary>
public sealed class SetupToken(BlogDatabase db, TimeProvider clock)
{
    /// <summary>
    /// A start within this long of the last issued link keeps it rather than replacing it: instances started
    /// together print one link between them, which works on all of them.
    /// </summary>
    public static readonly TimeSpan KeptForInstancesStartingTogether = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Makes a new token, replacing one issued more than <paramref name="keepOneIssuedWithin"/> ago, and returns it;
    /// only this caller ever sees it. When a newer one exists, it is kept and only the time it was issued is returned.
    /// </summary>
    public async Task<SetupLinkIssue> IssueAsync(TimeSpan keepOneIssuedWithin, CancellationToken ct)
    {
        // Inserted by the first start; replaced by a later one only when the link is older than the caller keeps.
        const string sql = """
            INSERT INTO setup_links (id, token_hash, issued_at) VALUES (1, @Hash, @Now)
            ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, issued_at = excluded.issued_at
            WHERE setup_links.issued_at <= @ReplaceIssuedBefore
            RETURNING id
            """;
        const string kept = "SELECT issued_at FROM setup_links WHERE id = 1";
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow().UtcDateTime;
        await using var write = await db.BeginWriteAsync(ct);
        var issued = await write.Connection.ExecuteScalarAsync<int?>(new CommandDefinition(sql, new
        {
            Hash = Hash(token),
            Now = now,
            ReplaceIssuedBefore = db.Dialect.TimeBound(now - keepOneIssuedWithin),
        }, write.Transaction, cancellationToken: ct));
        var keptSince = issued is null
            ? await write.Connection.ExecuteScalarAsync<DateTime>(new CommandDefinition(kept, transaction: write.Transaction, cancellationToken: ct))
            : now;
        await write.CommitAsync(ct);
        return issued is null ? new SetupLinkIssue(null, keptSince) : new SetupLinkIssue(token, now);
    }

    public async Task<bool> MatchesAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }
        const string sql = "SELECT token_hash FROM setup_links WHERE id = 1";
        await using var connection = await db.OpenAsync(ct);
        var expected = await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition(sql, cancellationToken: ct));
        return expected is not null && CryptographicOperations.FixedTimeEquals(expected, Hash(token));
    }

    /// <summary>
    /// Takes the token if it matches and runs <paramref name="createOwner"/>; the token is retired when it succeeds.
    /// Null means the token was refused (wrong, already used, or being used by someone else right now); a failed
    /// result (e.g. a weak password) puts the token back, usable again.
    /// </summary>
    public async Task<IdentityResult?> RedeemAsync(string? token, Func<Task<IdentityResult>> createOwner, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        const string take = "DELETE FROM setup_links WHERE id = 1 AND token_hash = @Hash RETURNING issued_at";
        const string putBack = "INSERT INTO setup_links (id, token_hash, issued_at) VALUES (1, @Hash, @IssuedAt) ON CONFLICT (id) DO NOTHING";
        var hash = Hash(token);
        DateTime? issuedAt;
        await using (var write = await db.BeginWriteAsync(ct))
        {
            issuedAt = await write.Connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(take, new { Hash = hash }, write.Transaction, cancellationToken: ct));
            await write.CommitAsync(ct);
        }
        if (issuedAt is null)
        {
            return null;
        }
        var result = await createOwner();
        if (!result.Succeeded)
        {
            await using var write = await db.BeginWriteAsync(CancellationToken.None);
            await write.Connection.ExecuteAsync(new CommandDefinition(putBack, new { Hash = hash, IssuedAt = issuedAt }, write.Transaction));
            await write.CommitAsync(CancellationToken.None);
        }
        return result;
    }

    /// <summary>Retires any link: an owner now exists (one made from the command line, say), so none may make another.</summary>
    public async Task RetireAsync(CancellationToken ct)
    {
        const string sql = "DELETE FROM setup_links";
        await using var write = await db.BeginWriteAsync(ct);
        await write.Connection.ExecuteAsync(new CommandDefinition(sql, transaction: write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}

/// <summary>
/// What a start did about the setup link: issued <see cref="Token"/>, or (null) kept the one another start issued at
/// <see cref="IssuedAt"/>.
/// </summary>
public sealed record SetupLinkIssue(string? Token, DateTime IssuedAt);
