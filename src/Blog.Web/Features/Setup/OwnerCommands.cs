using Blog.Web.Features.Members;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace Blog.Web.Features.Setup;

/// <summary>The blog's owner account: created once, from the setup page or the create-owner command.</summary>
public sealed class OwnerCommands(
    MembershipStore store, UserManager<Member> users, SetupToken setupLink, CanonicalAddress address, ReaderCache readerCache, TimeProvider clock)
{
    /// <summary>Whether the blog has its owner; until then it can be set up.</summary>
    public Task<bool> OwnerExistsAsync(CancellationToken ct) => store.OwnerExistsAsync(ct);

    /// <summary>Creates the blog's owner (email already confirmed). Refused if an owner exists.</summary>
    public async Task<(IdentityResult Result, Member? Owner)> CreateOwnerAsync(string email, string displayName, string password, CancellationToken ct)
    {
        if (await store.OwnerExistsAsync(ct))
        {
            return (IdentityResult.Failed(new IdentityError { Code = "OwnerExists", Description = "This blog already has an owner." }), null);
        }
        var owner = new Member
        {
            UserName = email.Trim(),
            Email = email.Trim(),
            EmailConfirmed = true,
            DisplayName = displayName.Trim(),
            Role = MemberRole.Owner,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        var result = await users.CreateAsync(owner, password);
        if (result.Succeeded)
        {
            await setupLink.RetireAsync(ct);
        }
        return (result, result.Succeeded ? owner : null);
    }

    /// <summary>
    /// Records <paramref name="origin"/> (scheme and host of the setup request) as the blog's address, unless
    /// Blog:BaseUrl says it. That is the one request whose Host the blog believes: it carried the token from the
    /// log, so it came from the owner, through the address the owner opens the blog at.
    /// </summary>
    public async Task RecordSetupAddressAsync(string origin, CancellationToken ct)
    {
        if (address.Configured is null && CanonicalAddress.TryParse(origin, out var used, out _))
        {
            await address.RecordAsync(used, ct);
            // Pages rendered before setup hold links made from the listening address.
            await readerCache.EverythingChangedAsync();
        }
    }
}
