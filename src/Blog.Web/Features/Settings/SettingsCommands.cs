using Blog.Web.Hosting;

namespace Blog.Web.Features.Settings;

/// <summary>
/// The owner's changes to the blog's settings. Every reader page shows some of them (the title, dates, whether
/// comments are still open), so each save evicts every cached reader page right after it is stored.
/// </summary>
public sealed class SettingsCommands(SiteSettingsStore settings, CanonicalAddress address, ReaderCache readerCache)
{
    /// <summary>Saves the settings page; records <paramref name="newAddress"/> as the blog's address unless it is null.</summary>
    public async Task SaveSiteAsync(SettingsForm form, string? newAddress, CancellationToken ct)
    {
        var current = await settings.GetAsync(ct);
        await settings.SaveAsync(current with
        {
            Title = form.Title.Trim(),
            Description = form.Description?.Trim() ?? "",
            PostsPerPage = form.PostsPerPage!.Value,
            TimeZone = form.TimeZone.Trim(),
            DateFormat = form.DateFormat,
        }, ct);
        if (newAddress is not null && newAddress != address.Recorded)
        {
            await address.RecordAsync(newAddress, ct);
        }
        await readerCache.EverythingChangedAsync();
    }

    /// <summary>Saves the comment rules of the moderation page (closing rules change what every post says under its comments).</summary>
    public async Task SaveCommentRulesAsync(CommentSettings rules, CancellationToken ct)
    {
        var current = await settings.GetAsync(ct);
        await settings.SaveAsync(current with { Comments = rules }, ct);
        await readerCache.EverythingChangedAsync();
    }
}
