using System.Text.Json;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace Blog.Web.Features.Account;

/// <summary>
/// One part of "download my data". Each feature that keeps something about a person (comments, posts, ...) adds
/// its own section and registers it in <see cref="AccountFeatureSetup.AddBlogAccount"/>; the export asks every
/// registered section in turn. A section returns plain data, never secrets (hashes, stamps, keys, tokens).
/// </summary>
public interface IAccountDataSection
{
    /// <summary>The section's property name in the downloaded JSON, e.g. "comments".</summary>
    string Name { get; }

    Task<object?> ReadAsync(Member member, CancellationToken cancellationToken);
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
        });
}

public static class AccountFeatureSetup
{
    public static IServiceCollection AddBlogAccount(this IServiceCollection services)
    {
        services.AddScoped<AccountDataExport>();
        // Sections appear in the file in the order they are registered here.
        services.AddScoped<IAccountDataSection, ProfileDataSection>();
        services.AddScoped<AccountQueries>();
        // Two-factor means an authenticator app here. Identity's default phone provider would throw (the store
        // keeps no phone numbers) when sign-in lists the valid providers, and email codes are not offered.
        // PostConfigure, so this runs after AddDefaultTokenProviders has filled the map, whatever the call order.
        services.PostConfigure<IdentityOptions>(options =>
        {
            options.Tokens.ProviderMap.Remove(TokenOptions.DefaultPhoneProvider);
            options.Tokens.ProviderMap.Remove(TokenOptions.DefaultEmailProvider);
        });
        return services;
    }
}
