using Blog.Web.Features.Members;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace Blog.Web.Features.Account;

/// <summary>The writes on a person's own account that carry a rule or a consequence beyond Identity's own.</summary>
public sealed class AccountCommands(
    UserManager<Member> users, MembershipStore membership, SiteSettingsStore settings, ReaderCache readerCache)
{
    /// <summary>
    /// Confirms the address with the emailed code; false when the code is wrong or stale. While the blog is open to
    /// everyone, a confirmed reader becomes a member at once.
    /// </summary>
    public async Task<bool> ConfirmEmailAsync(Member member, string code, CancellationToken ct)
    {
        if (!(await users.ConfirmEmailAsync(member, code)).Succeeded)
        {
            return false;
        }
        if ((await settings.GetAsync(ct)).MembershipMode == MembershipMode.Open && member.Role == MemberRole.Reader)
        {
            member.Role = MemberRole.Member;
            await users.UpdateAsync(member);
        }
        return true;
    }

    /// <summary>
    /// Deletes the account for good. The person's comments stay, shown as from "a deleted member"
    /// (comments.author_id references members ON DELETE SET NULL, as posts.author_id does), so conversations
    /// keep making sense; invitations and membership requests they made go with them (ON DELETE CASCADE).
    /// </summary>
    public async Task<AccountDeletion> DeleteAsync(Member member, CancellationToken ct)
    {
        if (member.Role == MemberRole.Owner && await membership.CountOwnersAsync(ct) <= 1)
        {
            return AccountDeletion.OnlyOwner;
        }
        if (!(await users.DeleteAsync(member)).Succeeded)
        {
            return AccountDeletion.ChangedMeanwhile;
        }
        // Their comments now say "a deleted member", their posts' bylines too.
        await readerCache.EverythingChangedAsync();
        return AccountDeletion.Deleted;
    }
}

public enum AccountDeletion
{
    Deleted,

    /// <summary>The blog would have nobody to run it.</summary>
    OnlyOwner,

    /// <summary>The account changed between loading it and deleting it (its concurrency stamp moved on).</summary>
    ChangedMeanwhile,
}
