using System.Text.Json;
using Blog.Web.Data;
using Blog.Web.Identity;
using Dapper;

namespace Blog.Web.Features.Account;

/// <summary>
/// One part of "download my data". Each feature that keeps something about a person (comments, posts, ...) adds
/// its own section and registers it in <see cref="AccountSetup.AddBlogAccount"/>; the export asks every
/// registered section in turn. A section returns plain data, never secrets (hashes, stamps, keys, tokens).
/// </summary>
public interface IAccountDataSection
{
    /// <summary>The section's property name in the downloaded JSON, e.g. "comments".</summary>
    string Name { get; }

    Task<object?> ReadAsync(Member member, CancellationToken cancellationToken);
}

/// <summary>A section that is simply the rows one query finds for the person, who is <c>@MemberId</c> in <see cref="Sql"/>.</summary>
public abstract class RowsDataSection<TRow>(BlogDatabase db) : IAccountDataSection
{
    public abstract string Name { get; }

    protected abstract string Sql { get; }

    public async Task<object?> ReadAsync(Member member, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<TRow>(
            new CommandDefinition(Sql, new { MemberId = member.Id }, cancellationToken: cancellationToken))).ToList();
    }
}

/// <summary>Builds the JSON file a person downloads from /account/data.</summary>
public sealed class AccountDataExport(IEnumerable<IAccountDataSection> sections, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<byte[]> BuildAsync(Member member, CancellationToken cancellationToken)
    {
        var document = new Dictionary<string, object?> { ["exportedAt"] = clock.GetUtcNow().UtcDateTime };
        foreach (var section in sections)
        {
            document[section.Name] = await section.ReadAsync(member, cancellationToken);
        }
        return JsonSerializer.SerializeToUtf8Bytes(document, Json);
    }
}

/// <summary>Who the person is: the first section of every export.</summary>
public sealed class ProfileDataSection : IAccountDataSection
{
    public string Name => "profile";

    public Task<object?> ReadAsync(Member member, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(new
        {
            member.DisplayName,
            member.Email,
            member.EmailConfirmed,
            Role = member.Role.ToName(),
            member.BannedAt,
            member.CreatedAt,
            TwoFactorEnabled = member.TwoFactorEnabled,
            LockedOutUntil = member.LockoutEnd,
            FailedSignInAttempts = member.AccessFailedCount,
        });
}
