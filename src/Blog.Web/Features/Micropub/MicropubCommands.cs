using System.ComponentModel.DataAnnotations;
using Blog.Web.Features.Authoring;
using Blog.Web.Features.IndieAuth;
using Blog.Web.Features.Media;
using Blog.Web.Features.Posts;
using Blog.Web.Hosting;

namespace Blog.Web.Features.Micropub;

/// <summary>
/// The rules of writing from other apps. Every change is a save through the editor's own <see cref="PostCommands"/>,
/// so validation, sanitizing, slugs, labels and the readers' cache work exactly as in the editor; what a token may
/// do is what its holder may do there (authors their own posts, the owner every post).
/// </summary>
public sealed class MicropubCommands(
    PostCommands posts,
    AuthoringQueries authoring,
    MicropubQueries queries,
    MicropubStore store,
    MediaCommands media,
    CanonicalAddress address,
    TimeProvider clock)
{
    public async Task<MicropubOutcome> CreateAsync(MicropubRequest request, AccessToken token, CancellationToken ct)
    {
        if (request.Type != MicropubType.Entry)
        {
            return MicropubOutcome.Failed(MicropubError.Invalid($"This blog makes h-entry posts only, not {Shorten(request.Type)}."));
        }
        var (entry, error) = MicropubEntry.Read(request.Properties, address.Base);
        if (entry is null)
        {
            return MicropubOutcome.Failed(error!);
        }
        var draft = entry.Status == PostStatus.Draft;
        var form = new PostForm
        {
            Title = entry.Title(),
            Subtitle = entry.Summary,
            Slug = entry.Slug,
            Body = entry.Body(),
            Labels = string.Join(", ", entry.Categories),
            // Micropub's default status is published (3.3); a published time in the future schedules the post.
            Command = draft ? EditorCommand.Save : EditorCommand.Publish,
        };
        var (saved, saveError) = await SaveAsync(ContentKind.Post, null, form, token.MemberId, ct,
            publishedAt: draft ? null : entry.Published, bodyFormat: entry.ContentIsHtml ? BodyFormat.Html : BodyFormat.Markdown);
        return saved is null
            ? MicropubOutcome.Failed(saveError!)
            : new MicropubOutcome { Location = await queries.AddressOfAsync(saved, ct) };
    }

    /// <summary>An update (Micropub 3.4): replace, add and delete, applied in that order; the answer names a new address.</summary>
    public async Task<MicropubOutcome> UpdateAsync(MicropubRequest request, AccessToken token, CancellationToken ct)
    {
        var (post, denied) = await LoadAsync(request.Url, token, ct);
        if (post is null)
        {
            return MicropubOutcome.Failed(denied!);
        }
        var form = await authoring.StoredFormAsync(post, ct);
        var (command, publishedAt, error) = Apply(request.Update, post, form);
        if (error is not null)
        {
            return MicropubOutcome.Failed(error);
        }
        form.Command = command;
        return await SaveMovingAsync(post, form, token.MemberId, publishedAt, ct);
    }

    /// <summary>Takes the post off the blog (a draft again), remembering what it was so an undelete can put it back.</summary>
    public async Task<MicropubOutcome> DeleteAsync(MicropubRequest request, AccessToken token, CancellationToken ct)
    {
        var (post, denied) = await LoadAsync(request.Url, token, ct);
        if (post is null)
        {
            return MicropubOutcome.Failed(denied!);
        }
        var deletion = new MicropubDeletion { PostId = post.Id, PreviousStatus = post.Status, PreviousPublishedAt = post.PublishedAt };
        if (!await store.RecordDeletionAsync(deletion, token.MemberId, clock.GetUtcNow().UtcDateTime, ct))
        {
            return MicropubOutcome.Done;
        }
        var form = await authoring.StoredFormAsync(post, ct);
        form.Command = EditorCommand.Unpublish;
        var (saved, error) = await SaveAsync(KindOf(post), post, form, token.MemberId, ct);
        if (saved is null)
        {
            await store.ForgetDeletionAsync(post.Id, ct);
            return MicropubOutcome.Failed(error!);
        }
        return MicropubOutcome.Done;
    }

    public async Task<MicropubOutcome> UndeleteAsync(MicropubRequest request, AccessToken token, CancellationToken ct)
    {
        var (post, denied) = await LoadAsync(request.Url, token, ct);
        if (post is null)
        {
            return MicropubOutcome.Failed(denied!);
        }
        if (await store.FindDeletionAsync(post.Id, ct) is not { } deletion)
        {
            return MicropubOutcome.Failed(MicropubError.Invalid("That post is not deleted."));
        }
        var form = await authoring.StoredFormAsync(post, ct);
        var wasPublished = deletion.PreviousStatus == PostStatus.Published;
        form.Command = wasPublished ? EditorCommand.Publish : EditorCommand.Save;
        var outcome = await SaveMovingAsync(post, form, token.MemberId, wasPublished ? deletion.PreviousPublishedAt : null, ct);
        if (outcome.Error is null)
        {
            await store.ForgetDeletionAsync(post.Id, ct);
        }
        return outcome;
    }

    /// <summary>
    /// Stores a picture sent to the media endpoint (or with a post) in the library; its absolute address. Micropub
    /// sends no description with a file, so without one (<paramref name="altText"/>, a field some clients send) the
    /// picture is stored as decorative: no invented words. The post that shows it carries the description
    /// (<c>photo: {"value": …, "alt": …}</c>), which wins over the library's; the library's can be written later.
    /// </summary>
    public async Task<(string? Url, MicropubError? Error)> UploadAsync(Stream content, string fileName, string? altText, string memberId, CancellationToken ct)
    {
        var outcome = await media.UploadAsync(new MediaUpload
        {
            Content = content,
            FileName = fileName,
            AltText = altText ?? "",
            Decorative = string.IsNullOrWhiteSpace(altText),
            UploaderId = memberId,
        }, ct);
        if (outcome.Markdown is not { } markdown)
        {
            return (null, MicropubError.Invalid(outcome.Error ?? "That file could not be stored as a picture."));
        }
        // The Markdown ends with the picture's address in parentheses; the description before it escapes its own.
        return (address.Absolute(markdown[(markdown.LastIndexOf('(') + 1)..^1]), null);
    }

    /// <summary>The post at the address, when the token's holder may change it: its author, or the owner.</summary>
    public async Task<(PostRow? Post, MicropubError? Denied)> LoadAsync(string? url, AccessToken token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return (null, MicropubError.Invalid("Name the post with \"url\"."));
        }
        if (await queries.FindByUrlAsync(url, ct) is not { } post)
        {
            return (null, MicropubError.Invalid("No post of this blog has that address."));
        }
        if (post.AuthorId != token.MemberId && !await store.IsOwnerAsync(token.MemberId, ct))
        {
            return (null, MicropubError.Forbidden("That post is someone else's: only its author and the blog's owner may change it."));
        }
        return (post, null);
    }

    /// <summary>Applies an update to the editor's form; the command the save needs and the publication time it sets.</summary>
    private (string Command, DateTime? PublishedAt, MicropubError? Error) Apply(MicropubUpdate update, PostRow post, PostForm form)
    {
        if (new[] { update.Replace, update.Add, update.DeleteValues }.Any(part => part.Has(MicropubProperty.Photo))
            || update.DeleteProperties.Contains(MicropubProperty.Photo))
        {
            return ("", null, MicropubError.Invalid("A post's photos are part of its content: replace content to change them."));
        }
        var (replace, replaceError) = MicropubEntry.Read(update.Replace, address.Base);
        var (add, addError) = MicropubEntry.Read(update.Add, address.Base);
        if (replace is null || add is null)
        {
            return ("", null, replaceError ?? addError);
        }
        var single = update.Add.Values.Keys.Concat(update.DeleteValues.Values.Keys)
            .Concat(update.DeleteProperties.Where(name => name is MicropubProperty.PostStatus or MicropubProperty.Published or MicropubProperty.Slug))
            .FirstOrDefault(name => name is not MicropubProperty.Category && IsStored(name));
        if (single is not null)
        {
            return ("", null, MicropubError.Invalid($"{single} holds one value: use replace to change it."));
        }

        var labels = MicropubQueries.LabelsOf(post);
        var status = post.Status;
        var publishedAt = (DateTime?)null;
        if (update.Replace.Has(MicropubProperty.Name))
        {
            form.Title = replace.Name ?? "";
        }
        if (update.Replace.Has(MicropubProperty.Summary))
        {
            form.Subtitle = replace.Summary;
        }
        if (update.Replace.Has(MicropubProperty.Content))
        {
            form.Body = replace.Content;
        }
        if (update.Replace.Has(MicropubProperty.Slug))
        {
            form.Slug = replace.Slug;
        }
        if (update.Replace.Has(MicropubProperty.Category))
        {
            labels = [.. replace.Categories];
        }
        status = replace.Status ?? status;
        publishedAt = replace.Published;
        labels.AddRange(add.Categories.Where(label => !labels.Contains(label, StringComparer.OrdinalIgnoreCase)));
        var removed = update.DeleteValues[MicropubProperty.Category].Select(value => value.Text?.Trim()).ToList();
        labels.RemoveAll(label => removed.Contains(label, StringComparer.OrdinalIgnoreCase));
        foreach (var name in update.DeleteProperties)
        {
            switch (name)
            {
                case MicropubProperty.Category:
                    labels.Clear();
                    break;
                case MicropubProperty.Summary:
                    form.Subtitle = "";
                    break;
                case MicropubProperty.Content:
                    form.Body = "";
                    break;
                case MicropubProperty.Name:
                    form.Title = "";
                    break;
            }
        }
        if (string.IsNullOrWhiteSpace(form.Title))
        {
            form.Title = new MicropubEntry { Content = form.Body, ContentIsHtml = post.BodyFormat == BodyFormat.Html }.Title();
        }
        form.Labels = string.Join(", ", labels);
        var command = status == PostStatus.Draft
            ? post.Status == PostStatus.Draft ? EditorCommand.Save : EditorCommand.Unpublish
            : post.Status == PostStatus.Draft || publishedAt is not null ? EditorCommand.Publish : EditorCommand.Save;
        return (command, publishedAt, null);
    }

    private static bool IsStored(string name) => name is MicropubProperty.Name or MicropubProperty.Summary or MicropubProperty.Content
        or MicropubProperty.Category or MicropubProperty.PostStatus or MicropubProperty.Published or MicropubProperty.Slug;

    /// <summary>Saves a change to a stored post; the answer names its address when the change moved it (201), else none (204).</summary>
    private async Task<MicropubOutcome> SaveMovingAsync(PostRow post, PostForm form, string memberId, DateTime? publishedAt, CancellationToken ct)
    {
        var before = await queries.AddressOfAsync(post, ct);
        var (saved, error) = await SaveAsync(KindOf(post), post, form, memberId, ct, publishedAt);
        if (saved is null)
        {
            return MicropubOutcome.Failed(error!);
        }
        var after = await queries.AddressOfAsync(saved, ct);
        return after == before ? MicropubOutcome.Done : new MicropubOutcome { Location = after };
    }

    /// <summary>
    /// One save through the editor's command, with the form's own checks (title, lengths) made as model binding would.
    /// Every error comes back in one invalid_request, as the editor shows them all at once.
    /// </summary>
    private async Task<(PostRow? Saved, MicropubError? Error)> SaveAsync(
        ContentKind kind, PostRow? existing, PostForm form, string memberId, CancellationToken ct,
        DateTime? publishedAt = null, string bodyFormat = BodyFormat.Markdown)
    {
        var formErrors = new List<ValidationResult>();
        var formIsValid = Validator.TryValidateObject(form, new ValidationContext(form), formErrors, validateAllProperties: true);
        var outcome = await posts.SaveAsync(new PostSave
        {
            Kind = kind,
            Existing = existing,
            Form = form,
            EditorId = memberId,
            FormIsValid = formIsValid,
            // Micropub edits by property, never from an opened version: no concurrency check.
            ExpectedVersion = null,
            PublishedAt = publishedAt,
            BodyFormat = bodyFormat,
            Origin = RevisionOrigin.Micropub,
        }, ct);
        if (outcome.SavedId is not { } id)
        {
            var messages = formErrors.Select(e => e.ErrorMessage ?? "").Concat(outcome.Errors.Select(e => e.Message)).Where(m => m.Length > 0);
            return (null, MicropubError.Invalid(string.Join(' ', messages.DefaultIfEmpty("The post could not be saved."))));
        }
        return (await authoring.FindAsync(id, ct), null);
    }


    private static ContentKind KindOf(PostRow post) => post.Kind == PostKind.Page ? ContentKind.Page : ContentKind.Post;

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
