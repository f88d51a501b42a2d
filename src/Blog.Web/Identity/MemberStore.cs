using System.Data.Common;
using Blog.Web.Data;
using Dapper;
using Microsoft.AspNetCore.Identity;

namespace Blog.Web.Identity;

/// <summary>
/// ASP.NET Core Identity's user store on SQLite through Dapper. Get/Set methods only touch the object;
/// Create, Update, Delete and Find* run SQL. Updates honour the concurrency stamp like EF's store does.
/// </summary>
public sealed class MemberStore(BlogDatabase db, IdentityErrorDescriber describer, TimeProvider clock) :
    IUserPasswordStore<Member>,
    IUserEmailStore<Member>,
    IUserSecurityStampStore<Member>,
    IUserLockoutStore<Member>,
    IUserTwoFactorStore<Member>,
    IUserAuthenticatorKeyStore<Member>,
    IUserTwoFactorRecoveryCodeStore<Member>
{
    // SQLITE_CONSTRAINT_UNIQUE: SQLITE_CONSTRAINT (19) | (8 << 8).
    private static readonly UniqueKey NormalizedEmail = new("members.normalized_email", "ux_members_normalized_email");
    private static readonly UniqueKey NormalizedUserName = new("members.normalized_user_name", "ux_members_normalized_user_name");

    private const string Columns = """
        id, user_name, normalized_user_name, email, normalized_email, email_confirmed, password_hash,
        security_stamp, concurrency_stamp, lockout_end, lockout_enabled, access_failed_count,
        two_factor_enabled, authenticator_key, recovery_codes, display_name, role, banned_at, created_at
        """;

    public async Task<IdentityResult> CreateAsync(Member user, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(user);
        const string sql = $"""
            INSERT INTO members ({Columns})
            VALUES (@Id, @UserName, @NormalizedUserName, @Email, @NormalizedEmail, @EmailConfirmed, @PasswordHash,
                    @SecurityStamp, @ConcurrencyStamp, @LockoutEnd, @LockoutEnabled, @AccessFailedCount,
                    @TwoFactorEnabled, @AuthenticatorKey, @RecoveryCodes, @DisplayName, @Role, @BannedAt, @CreatedAt);
            """;
        if (user.CreatedAt == default)
        {
            user.CreatedAt = clock.GetUtcNow().UtcDateTime;
        }
        return await WriteAsync(user, sql, Parameters(user), cancellationToken);
    }

    public async Task<IdentityResult> UpdateAsync(Member user, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(user);
        const string sql = """
            UPDATE members SET
                user_name = @UserName, normalized_user_name = @NormalizedUserName, email = @Email,
                normalized_email = @NormalizedEmail, email_confirmed = @EmailConfirmed, password_hash = @PasswordHash,
                security_stamp = @SecurityStamp, concurrency_stamp = @ConcurrencyStamp, lockout_end = @LockoutEnd,
                lockout_enabled = @LockoutEnabled, access_failed_count = @AccessFailedCount,
                two_factor_enabled = @TwoFactorEnabled, authenticator_key = @AuthenticatorKey,
                recovery_codes = @RecoveryCodes, display_name = @DisplayName, role = @Role, banned_at = @BannedAt
            WHERE id = @Id AND concurrency_stamp IS NOT DISTINCT FROM @ExpectedStamp;
            """;
        var expectedStamp = user.ConcurrencyStamp;
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        var parameters = new DynamicParameters(Parameters(user));
        parameters.Add("ExpectedStamp", expectedStamp);
        var result = await WriteAsync(user, sql, parameters, cancellationToken);
        if (!result.Succeeded)
        {
            user.ConcurrencyStamp = expectedStamp;
        }
        return result;
    }

    public async Task<IdentityResult> DeleteAsync(Member user, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(user);
        const string sql = "DELETE FROM members WHERE id = @Id AND concurrency_stamp IS NOT DISTINCT FROM @ConcurrencyStamp;";
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.ExecuteAsync(new CommandDefinition(sql, new { user.Id, user.ConcurrencyStamp }, cancellationToken: cancellationToken));
        return rows == 1 ? IdentityResult.Success : IdentityResult.Failed(describer.ConcurrencyFailure());
    }

    public Task<Member?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        FindOneAsync("id = @Value", userId, cancellationToken);

    public Task<Member?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        FindOneAsync("normalized_user_name = @Value", normalizedUserName, cancellationToken);

    public Task<Member?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        FindOneAsync("normalized_email = @Value", normalizedEmail, cancellationToken);

    private async Task<Member?> FindOneAsync(string condition, string value, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var sql = $"SELECT {Columns} FROM members WHERE {condition};";
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Member>(new CommandDefinition(sql, new { Value = value }, cancellationToken: cancellationToken));
    }

    /// <summary>Runs an insert or update; a lost race on the concurrency stamp or a taken name/email is an IdentityResult, not an exception.</summary>
    private async Task<IdentityResult> WriteAsync(Member user, string sql, object parameters, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await db.OpenAsync(cancellationToken);
            var rows = await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
            return rows == 1 ? IdentityResult.Success : IdentityResult.Failed(describer.ConcurrencyFailure());
        }
        catch (DbException ex) when (DuplicateOf(ex, user) is { } duplicate)
        {
            return IdentityResult.Failed(duplicate);
        }
    }

    /// <summary>
    /// The friendly error for a lost race on a unique name or email. Any other constraint (a missing display
    /// name, a duplicate id) is a bug, not a person's mistake, so it is not mapped and the exception stands.
    /// </summary>
    private IdentityError? DuplicateOf(DbException ex, Member user) =>
        DatabaseErrors.IsUniqueViolation(ex, NormalizedEmail) ? describer.DuplicateEmail(user.Email ?? "")
        : DatabaseErrors.IsUniqueViolation(ex, NormalizedUserName) ? describer.DuplicateUserName(user.UserName ?? "")
        : null;

    private static object Parameters(Member user) => new
    {
        user.Id,
        user.UserName,
        user.NormalizedUserName,
        user.Email,
        user.NormalizedEmail,
        user.EmailConfirmed,
        user.PasswordHash,
        user.SecurityStamp,
        user.ConcurrencyStamp,
        user.LockoutEnd,
        user.LockoutEnabled,
        user.AccessFailedCount,
        user.TwoFactorEnabled,
        user.AuthenticatorKey,
        user.RecoveryCodes,
        user.DisplayName,
        Role = user.Role.ToName(),
        user.BannedAt,
        user.CreatedAt,
    };

    // Everything below only reads or changes the object; UserManager then calls UpdateAsync.

    public Task<string> GetUserIdAsync(Member user, CancellationToken cancellationToken) => Task.FromResult(user.Id);

    public Task<string?> GetUserNameAsync(Member user, CancellationToken cancellationToken) => Task.FromResult(user.UserName);

    public Task SetUserNameAsync(Member user, string? userName, CancellationToken cancellationToken)
    {
        user.UserName = userName;
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedUserNameAsync(Member user, CancellationToken cancellationToken) => Task.FromResult(user.NormalizedUserName);

    public Task SetNormalizedUserNameAsync(Member user, string? normalizedName, CancellationToken cancellationToken)
    {
        user.NormalizedUserName = normalizedName;
        return Task.CompletedTask;
    }

    public Task<string?> GetPasswordHashAsync(Member user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash);

    public Task SetPasswordHashAsync(Member user, string? passwordHash, CancellationToken cancellationToken)
    {
        user.PasswordHash = passwordHash;
        return Task.CompletedTask;
    }

    public Task<bool> HasPasswordAsync(Member user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash is not null);

    public Task<string?> GetEmailAsync(Member user, CancellationToken cancellationToken) => Task.FromResult(user.Email);

    public Task SetEmailAsync(Member user, string? email, CancellationToken cancellationToken)
    {
        user.Email = email;
        return Task.CompletedTask;
    }

    public Task<bool> GetEmailConfirmedAsync(Member user, CancellationToken cancellationToken) => Task.FromResult(user.EmailConfirmed);

    public Task SetEmailConfirmedAsync(Member user, bool confirmed, CancellationToken cancellationToken)
    {
        user.EmailConfirmed = confirmed;
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedEmailAsync(Member user, CancellationToken cancellationToken) => Task.FromResult(user.NormalizedEmail);

    public Task SetNormalizedEmailAsync(Member user, string? normalizedEmail, CancellationToken cancellationToken)
    {
        user.NormalizedEmail = normalizedEmail;
        return Task.CompletedTask;
    }

    public Task<string?> GetSecurityStampAsync(Member user, CancellationToken cancellationToken) => Task.FromResult(user.SecurityStamp);

    public Task SetSecurityStampAsync(Member user, string stamp, CancellationToken cancellationToken)
    {
        user.SecurityStamp = stamp;
        return Task.CompletedTask;
    }

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(Member user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnd);

    public Task SetLockoutEndDateAsync(Member user, DateTimeOffset? lockoutEnd, CancellationToken cancellationToken)
    {
        user.LockoutEnd = lockoutEnd;
        return Task.CompletedTask;
    }

    public Task<int> IncrementAccessFailedCountAsync(Member user, CancellationToken cancellationToken) => Task.FromResult(++user.AccessFailedCount);

    public Task ResetAccessFailedCountAsync(Member user, CancellationToken cancellationToken)
    {
        user.AccessFailedCount = 0;
        return Task.CompletedTask;
    }

    public Task<int> GetAccessFailedCountAsync(Member user, CancellationToken cancellationToken) => Task.FromResult(user.AccessFailedCount);

    public Task<bool> GetLockoutEnabledAsync(Member user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnabled);

    public Task SetLockoutEnabledAsync(Member user, bool enabled, CancellationToken cancellationToken)
    {
        user.LockoutEnabled = enabled;
        return Task.CompletedTask;
    }

    public Task<bool> GetTwoFactorEnabledAsync(Member user, CancellationToken cancellationToken) => Task.FromResult(user.TwoFactorEnabled);

    public Task SetTwoFactorEnabledAsync(Member user, bool enabled, CancellationToken cancellationToken)
    {
        user.TwoFactorEnabled = enabled;
        return Task.CompletedTask;
    }

    public Task<string?> GetAuthenticatorKeyAsync(Member user, CancellationToken cancellationToken) => Task.FromResult(user.AuthenticatorKey);

    public Task SetAuthenticatorKeyAsync(Member user, string key, CancellationToken cancellationToken)
    {
        user.AuthenticatorKey = key;
        return Task.CompletedTask;
    }

    public Task ReplaceCodesAsync(Member user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken)
    {
        user.RecoveryCodes = string.Join(';', recoveryCodes);
        return Task.CompletedTask;
    }

    public Task<bool> RedeemCodeAsync(Member user, string code, CancellationToken cancellationToken)
    {
        var codes = RecoveryCodeList(user);
        if (!codes.Remove(code))
        {
            return Task.FromResult(false);
        }
        user.RecoveryCodes = string.Join(';', codes);
        return Task.FromResult(true);
    }

    public Task<int> CountCodesAsync(Member user, CancellationToken cancellationToken) => Task.FromResult(RecoveryCodeList(user).Count);

    private static List<string> RecoveryCodeList(Member user) =>
        [.. (user.RecoveryCodes ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)];

    public void Dispose()
    {
        // Connections are opened and closed per operation; nothing to release.
    }
}
