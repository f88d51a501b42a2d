using Blog.Web.Features.Settings;
using Blog.Web.Identity;

namespace Blog.Web.Features.Members;

/// <summary>
/// The owner's changes to people's standing and to how one becomes a member. Role changes are plain column
/// updates: the claims transformation re-reads the role on every request, so they take effect on the person's
/// next request. The owner's own standing never changes here: the blog always needs its owner.
/// </summary>
public sealed class MemberStandingCommands(MembershipStore store, SiteSettingsStore settings)
{
    /// <summary>Sets a non-owner's role (reader, member or author). False if there is no such person or they are the owner.</summary>
    public async Task<bool> SetRoleAsync(string memberId, MemberRole role, CancellationToken ct) =>
        role != MemberRole.Owner && await store.SetRoleAsync(memberId, role, ct);

    /// <summary>
    /// Bans or unbans a non-owner. A ban also gives them a new security stamp, which ends their sessions on their
    /// next request (and voids links emailed to them before, such as a password reset); a banned person cannot
    /// sign in again until unbanned.
    /// </summary>
    public Task<bool> SetBannedAsync(string memberId, bool banned, CancellationToken ct) => store.SetBannedAsync(memberId, banned, ct);

    public async Task SetModeAsync(MembershipMode mode, CancellationToken ct)
    {
        var current = await settings.GetAsync(ct);
        await settings.SaveAsync(current with { MembershipMode = mode }, ct);
    }
}
