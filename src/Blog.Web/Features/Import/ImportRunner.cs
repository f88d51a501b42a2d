using System.Globalization;
using System.Text.RegularExpressions;
using Blog.Web.Content;
using Blog.Web.Data;
using Blog.Web.Features.Authoring;
using Blog.Web.Features.Comments;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Blog.Web.Features.Import;

/// <summary>Opens an export for reading (the readers tell its format from what it holds).</summary>
public delegate IImportSource ImportSourceOpener(ImportRequest request);

/// <summary>
/// Imports an export. First a pass over the whole file that only reads: a file that is not well-formed is refused
/// before anything is written, and its counts are the dry run's report. Then a pass that writes, a few hundred items
/// per transaction, so the blog's other writers (comments, the editor) get their turn between batches. Every item
/// written is recorded in imported_items in the same transaction, so importing the same file again changes nothing,
/// and an import that stopped half-way continues where it stopped. Replies whose parent comes later in the file are
/// linked by a last pass, and threads are laid out (depth, flattening) by SQL once everything is there.
/// </summary>
public sealed partial class ImportRunner(
    ImportSourceOpener open,
    ImportStore store,
    ImportedHtml htmlRewriter,
    PostRenderer postRenderer,
    CommentRenderer commentRenderer,
    BlogDatabase db,
    SiteSettingsStore settings,
    ReaderCache readerCache,
    IOptions<CommentOptions> commentOptions,
    TimeProvider clock) : IImportRunner
{
    /// <summary>Items per write transaction: large enough to import quickly, small enough to keep the write turn short.</summary>
    public const int BatchSize = 250;

    private const int MaxLabelsPerPost = 20;
    private const int LabelMaxLength = 50;
    private const int MaxListed = 500;

    public async Task<ImportReport> RunAsync(ImportRequest request, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        using var source = open(request);
        return await RunAsync(source, request, progress, ct);
    }

    public async Task<ImportReport> RunAsync(IImportSource source, ImportRequest request, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var report = new ImportReport
        {
            FileName = request.FileName ?? source.FileName,
            Format = source.Format,
            DryRun = request.DryRun,
        };
        var plan = Check(source, report, progress, ct);
        var run = new Run(source, request, report, plan, progress)
        {
            Html = new ImportedHtmlContext
            {
                Archive = source,
                Report = report,
                Source = plan.SourceKey,
                ImporterId = request.ImporterId,
                DryRun = request.DryRun,
                FetchRemoteImages = request.FetchRemoteImages,
                TimeZone = PostUrls.TimeZone((await settings.GetAsync(ct)).TimeZone),
                BlogAddress = plan.BlogAddress,
                OldHosts = plan.OldHosts,
            },
        };
        try
        {
            await WritePassAsync(run, ct);
            if (run.Deferred > 0)
            {
                await LinkPassAsync(run, ct);
            }
            if (run.Wrote)
            {
                await ThreadAsync(run, ct);
            }
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or ImportRefusedException) && !request.DryRun)
        {
            throw new ImportInterruptedException(
                $"The import stopped after line {run.LastCommittedLine.ToString("N0", CultureInfo.InvariantCulture)} of the file ({ex.Message}). "
                + "Everything before it is saved: import the same file again to continue from there.", ex);
        }
        finally
        {
            if (run.Wrote)
            {
                await readerCache.EverythingChangedAsync();
            }
        }
        foreach (var (address, titles) in run.Html.Remote)
        {
            report.ImagesLeftRemote.Add(new RemoteImage(address, titles));
        }
        return report;
    }

    /// <summary>
    /// The reading pass: every item of the file read once, counted, and the posts that will be imported noted (so
    /// that a comment can be told an orphan whatever the order of the file). A malformed file throws here.
    /// </summary>
    private static Plan Check(IImportSource source, ImportReport report, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var plan = new Plan();
        var read = 0;
        foreach (var item in source.ReadItems(report))
        {
            ct.ThrowIfCancellationRequested();
            switch (item)
            {
                case ImportedBlog blog:
                    plan.SourceKey = blog.SourceKey;
                    report.BlogTitle = blog.Title;
                    if (Uri.TryCreate(blog.Address, UriKind.Absolute, out var address) && address.Scheme is "http" or "https")
                    {
                        plan.BlogAddress = address;
                        plan.OldHosts.Add(address.Host);
                    }
                    foreach (var host in blog.OtherHosts)
                    {
                        plan.OldHosts.Add(host);
                    }
                    break;
                case ImportedPost post:
                    report.Found(PostCountKind(post));
                    if (post.Status != ImportedPostStatus.Trashed)
                    {
                        plan.ImportablePosts.Add(post.SourceId);
                    }
                    break;
                case ImportedComment comment:
                    report.Found(CommentCountKind(comment));
                    break;
                case ImportedLabel:
                    report.Found(ImportKinds.Labels);
                    break;
                case ImportedAttachment:
                    report.Found(ImportKinds.Attachments);
                    break;
            }
            if (++read % BatchSize == 0)
            {
                progress?.Report(new ImportProgress("checking the file", source.FeedPosition, source.FeedLength));
            }
        }
        if (plan.SourceKey.Length == 0)
        {
            throw new ImportRefusedException("The file does not say which blog it was exported from, so it cannot be imported.");
        }
        return plan;
    }

    /// <summary>The writing pass (or, for a dry run, the same decisions without the writes).</summary>
    private async Task WritePassAsync(Run run, CancellationToken ct)
    {
        var batch = new Batch();
        foreach (var item in run.Source.ReadItems(new ImportReport()))
        {
            ct.ThrowIfCancellationRequested();
            switch (item)
            {
                case ImportedPost post:
                    await PreparePostAsync(run, post, batch, ct);
                    break;
                case ImportedComment comment:
                    await PrepareCommentAsync(run, comment, batch, linking: false, ct);
                    break;
                case ImportedLabel label:
                    batch.Labels.Add(label);
                    break;
                case ImportedAttachment:
                    // A library picture is made from an attachment when an imported post shows it, not before.
                    run.Report.Skipped(ImportKinds.Attachments, "stored only when an imported post shows it");
                    break;
            }
            if (batch.Count >= BatchSize)
            {
                await FlushAsync(run, batch, linking: false, ct);
                run.Progress?.Report(new ImportProgress("importing", run.Source.FeedPosition, run.Source.FeedLength));
            }
        }
        await FlushAsync(run, batch, linking: false, ct);
    }

    /// <summary>
    /// Reads the file once more for the comments the writing pass could not place yet: replies whose parent came
    /// later, and comments read before their post. Everything else is already imported and left alone.
    /// </summary>
    private async Task LinkPassAsync(Run run, CancellationToken ct)
    {
        run.Progress?.Report(new ImportProgress("linking replies", 0, run.Source.FeedLength));
        var batch = new Batch();
        foreach (var item in run.Source.ReadItems(new ImportReport()))
        {
            ct.ThrowIfCancellationRequested();
            if (item is not ImportedComment comment || !run.Plan.ImportablePosts.Contains(comment.PostSourceId) || !IsImportable(comment))
            {
                continue;
            }
            await PrepareCommentAsync(run, comment, batch, linking: true, ct);
            if (batch.Count >= BatchSize)
            {
                await FlushAsync(run, batch, linking: true, ct);
            }
        }
        await FlushAsync(run, batch, linking: true, ct);
    }

    /// <summary>Depth, thread roots and flattening of every imported post's comments, a batch of posts at a time.</summary>
    private async Task ThreadAsync(Run run, CancellationToken ct)
    {
        run.Progress?.Report(new ImportProgress("laying out threads", 0, 0));
        var maxDepth = commentOptions.Value.MaxDepth;
        long after = 0;
        while (await store.ImportedPostIdsAsync(run.Plan.SourceKey, after, BatchSize, ct) is { Count: > 0 } postIds)
        {
            await using var write = await db.BeginWriteAsync(ct);
            var flattened = await ImportStore.ThreadAsync(write.Connection, write.Transaction, postIds, maxDepth, ct);
            await write.CommitAsync(ct);
            run.Report.FlattenedReplies += flattened;
            after = postIds[^1];
        }
        if (run.Report.FlattenedReplies > 0)
        {
            run.Report.Note(0, $"{run.Report.FlattenedReplies.ToString("N0", CultureInfo.InvariantCulture)} replies were deeper than this blog's {maxDepth} levels and now reply at the deepest level.");
        }
    }

    private async Task PreparePostAsync(Run run, ImportedPost post, Batch batch, CancellationToken ct)
    {
        var kind = PostCountKind(post);
        if (post.Status == ImportedPostStatus.Trashed)
        {
            run.Report.Skipped(kind, "in the old blog's trash");
            return;
        }
        if (await store.FindAsync(run.Plan.SourceKey, post.SourceId, ct) is not null)
        {
            run.Report.AlreadyImported(kind);
            return;
        }
        var title = string.IsNullOrWhiteSpace(post.Title) ? "(untitled)" : MediaTitle(post.Title);
        run.Html.PostTitle = title;
        run.Html.Line = post.Line;
        var html = await htmlRewriter.RewriteAsync(post.Html, run.Html, ct);
        var rendered = await postRenderer.RenderHtmlAsync(html, hasCover: false, ct);
        if (rendered.Body is not { } body)
        {
            run.Report.Skipped(kind, "its body cannot be stored", post.Line, $"“{title}” was not imported: {rendered.Error}");
            return;
        }
        if (body.SanitizerRemovals > 0)
        {
            AddListed(run.Report.SanitizedPosts, title);
            run.Report.Note(post.Line, $"“{title}”: {body.SanitizerRemovals.ToString(CultureInfo.InvariantCulture)} unsafe or unsupported elements and attributes were removed from its HTML.");
        }
        var excerpt = body.Excerpt;
        if (post.HtmlBeforeMore is { Length: > 0 } beforeMore)
        {
            var intro = await postRenderer.RenderHtmlAsync(await htmlRewriter.RewriteAsync(beforeMore, run.Html, ct), hasCover: false, ct);
            excerpt = intro.Body is { Text.Length: > 0 } introBody ? PostRenderer.Excerpt(introBody.Text, PostRenderer.ExcerptLength * 5) : excerpt;
        }
        if (post.Status == ImportedPostStatus.Private)
        {
            AddListed(run.Report.PrivatePosts, title);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var published = (post.PublishedAt ?? post.UpdatedAt)?.UtcDateTime ?? now;
        var shown = post.Status is ImportedPostStatus.Published or ImportedPostStatus.Scheduled;
        batch.Posts.Add(new PreparedPost
        {
            Item = post,
            Labels = CleanLabels(post, run.Report),
            Write = new PostWrite
            {
                Kind = post.Kind == PostKind.Page ? PostKind.Page : PostKind.Post,
                AuthorId = run.Request.ImporterId,
                Title = title,
                // A summary for search engines is not a subtitle readers ever saw: it is left out.
                Subtitle = "",
                Slug = "",
                BodyMarkdown = html,
                BodyHtml = body.Html,
                BodyText = body.Text,
                Excerpt = excerpt,
                BodyFormat = BodyFormat.Html,
                // Private, pending and draft posts stay drafts: nothing the old blog kept from readers becomes public.
                Status = shown ? PostStatus.Published : PostStatus.Draft,
                PublishedAt = shown ? published : null,
                AllowComments = post.AllowComments,
                Labels = [],
                CreatedAt = published,
                Now = post.UpdatedAt?.UtcDateTime ?? published,
            },
            Pictures = new PostPictures { ShownMediaIds = body.PictureIds },
            Title = title,
        });
    }

    private async Task PrepareCommentAsync(Run run, ImportedComment comment, Batch batch, bool linking, CancellationToken ct)
    {
        var kind = CommentCountKind(comment);
        if (!linking && !IsImportable(comment))
        {
            run.Report.Skipped(kind, comment.CommentKind != ImportedCommentKind.Comment ? "pingbacks and trackbacks are not kept"
                : comment.Status == ImportedCommentStatus.Spam ? "marked as spam" : "in the old blog's trash");
            return;
        }
        if (await store.FindAsync(run.Plan.SourceKey, comment.SourceId, ct) is not null)
        {
            if (linking)
            {
                batch.Links.Add(comment);
            }
            else
            {
                run.Report.AlreadyImported(kind);
                // A reply whose parent an interrupted import never reached is linked now.
                run.Deferred += comment.ParentSourceId is null ? 0 : 1;
            }
            return;
        }
        var rendered = await commentRenderer.RenderAsync(comment.Html, ct);
        if (rendered.Body is not { } body || !body.HasText)
        {
            run.Report.Skipped(kind, "its text cannot be stored", comment.Line, rendered.Error is null ? null : $"A comment was not imported: {rendered.Error}");
            return;
        }
        batch.Comments.Add(new PreparedComment(comment, body.Html));
    }

    /// <summary>Writes a batch in one transaction (or, for a dry run, counts what it would write).</summary>
    private async Task FlushAsync(Run run, Batch batch, bool linking, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            return;
        }
        if (run.Request.DryRun)
        {
            CountDryRun(run, batch);
            batch.Clear();
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var counts = new ImportReport();
        var linked = 0;
        await using (var write = await db.BeginWriteAsync(ct))
        {
            foreach (var post in batch.Posts)
            {
                await WritePostAsync(run, write, post, now, counts, ct);
            }
            foreach (var (address, mediaId) in run.Html.StoredPictures)
            {
                if (await ImportStore.FindAsync(write.Connection, write.Transaction, run.Plan.SourceKey, address, ct) is null)
                {
                    await ImportStore.RecordAsync(write.Connection, write.Transaction, new ImportedRow(run.Plan.SourceKey, address, "media", mediaId, now), ct);
                }
            }
            foreach (var comment in batch.Comments)
            {
                await WriteCommentAsync(run, write, comment, linking, now, counts, ct);
            }
            foreach (var comment in batch.Links)
            {
                linked += await ImportStore.LinkParentAsync(write.Connection, write.Transaction, run.Plan.SourceKey, comment.SourceId, comment.ParentSourceId!, ct);
            }
            foreach (var label in batch.Labels)
            {
                await WriteLabelAsync(run, write, label, counts, ct);
            }
            await write.CommitAsync(ct);
        }
        // Counted once committed, so a batch that failed counts nothing.
        Merge(counts, run.Report);
        // Only a batch that changed something calls for threads to be laid out and cached pages to go.
        run.Wrote |= linked > 0 || counts.RedirectsCreated > 0 || counts.Counts.Values.Any(count => count.Imported > 0);
        run.LastCommittedLine = batch.LastLine;
        run.Html.StoredPictures.Clear();
        batch.Clear();
    }

    private static async Task WritePostAsync(Run run, DatabaseWrite write, PreparedPost prepared, DateTime now, ImportReport counts, CancellationToken ct)
    {
        var post = prepared.Item;
        var kind = PostCountKind(post);
        var (connection, transaction) = (write.Connection, write.Transaction);
        if (await ImportStore.FindAsync(connection, transaction, run.Plan.SourceKey, post.SourceId, ct) is not null)
        {
            counts.AlreadyImported(kind);
            return;
        }
        var slug = await FreeSlugAsync(write, prepared, ct);
        var id = await PostStore.InsertAsync(connection, transaction, prepared.Write with { Slug = slug, Labels = prepared.Labels }, prepared.Pictures, ct);
        await ImportStore.RecordAsync(connection, transaction, new ImportedRow(run.Plan.SourceKey, post.SourceId, prepared.Write.Kind, id, now), ct);
        counts.Imported(kind);
        foreach (var label in prepared.Labels)
        {
            if (!run.Labels.Contains(label) && run.Labels.Count < MaxListed)
            {
                run.Labels.Add(label);
                counts.Labels.Add(label);
            }
        }
        foreach (var old in post.OldAddresses)
        {
            if (LegacyAddress.Normalize(old) is { } address && await ImportStore.AddLegacyAddressAsync(connection, transaction, address, id, null, ct))
            {
                counts.RedirectsCreated++;
            }
        }
        // Blogger's per-post comment feed named the post by its Blogger number.
        if (run.Source.Format is ExportFormat.BloggerClassic or ExportFormat.BloggerTakeout
            && BloggerPostNumber().Match(post.SourceId) is { Success: true } number
            && await ImportStore.AddLegacyAddressAsync(connection, transaction, $"/feeds/{number.Groups[1].Value}/comments/default", null,
                $"/feeds/{id.ToString(CultureInfo.InvariantCulture)}/comments/default", ct))
        {
            counts.RedirectsCreated++;
        }
    }

    /// <summary>The post's own slug when free, else the same with -2, -3, …: its old addresses still lead to it.</summary>
    private static async Task<string> FreeSlugAsync(DatabaseWrite write, PreparedPost prepared, CancellationToken ct)
    {
        var wanted = prepared.Item.Slug.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        if (wanted.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
        {
            wanted = wanted[..^5];
        }
        var slug = Slugs.From(wanted) is { Length: > 0 } given ? given : Slugs.FromTitle(prepared.Title);
        var candidate = slug;
        for (var n = 2; await ImportStore.SlugTakenAsync(write.Connection, write.Transaction, prepared.Write.Kind, candidate, ct); n++)
        {
            candidate = Slugs.WithSuffix(slug, n);
        }
        return candidate;
    }

    private static async Task WriteCommentAsync(Run run, DatabaseWrite write, PreparedComment prepared, bool linking, DateTime now, ImportReport counts, CancellationToken ct)
    {
        var comment = prepared.Item;
        var kind = CommentCountKind(comment);
        var (connection, transaction) = (write.Connection, write.Transaction);
        if (await ImportStore.FindAsync(connection, transaction, run.Plan.SourceKey, comment.SourceId, ct) is not null)
        {
            counts.AlreadyImported(kind);
            return;
        }
        var postId = await ImportStore.FindAsync(connection, transaction, run.Plan.SourceKey, comment.PostSourceId, ct);
        if (postId is not { } onPost)
        {
            if (!linking && run.Plan.ImportablePosts.Contains(comment.PostSourceId))
            {
                // Its post comes later in the file: the linking pass imports it.
                run.Deferred++;
                return;
            }
            counts.Skipped(kind, "its post is not in the file", comment.Line, "A comment whose post is not in the file was left out.");
            return;
        }
        long? parentId = comment.ParentSourceId is { } parent
            ? await ImportStore.FindParentAsync(connection, transaction, run.Plan.SourceKey, parent, onPost, ct)
            : null;
        if (comment.ParentSourceId is not null && parentId is null && !linking)
        {
            run.Deferred++;
        }
        var id = await ImportStore.InsertCommentAsync(connection, transaction, new GuestComment
        {
            PostId = onPost,
            ParentId = parentId,
            BodyMarkdown = comment.Html,
            BodyHtml = prepared.Html,
            Status = comment.Status == ImportedCommentStatus.Held ? "held" : "approved",
            HeldReason = comment.Status == ImportedCommentStatus.Held ? "Awaiting approval in the old blog" : null,
            GuestName = GuestName(comment),
            GuestUrl = Uri.TryCreate(comment.AuthorUrl?.Trim(), UriKind.Absolute, out var url) && url.Scheme is "http" or "https" ? url.AbsoluteUri : null,
            // Normalized as Identity normalizes members' addresses, so a claim is one comparison.
            GuestEmail = comment.AuthorEmail?.Trim() is { Length: > 2 } email && email.Contains('@', StringComparison.Ordinal) ? email.ToUpperInvariant() : null,
            CreatedAt = comment.PublishedAt?.UtcDateTime ?? now,
        }, ct);
        await ImportStore.RecordAsync(connection, transaction, new ImportedRow(run.Plan.SourceKey, comment.SourceId, "comment", id, now), ct);
        counts.Imported(kind);
    }

    /// <summary>A WordPress category or tag: its old pages and feed lead to the label's.</summary>
    private static async Task WriteLabelAsync(Run run, DatabaseWrite write, ImportedLabel label, ImportReport counts, CancellationToken ct)
    {
        var name = CleanLabel(label.Name);
        if (name.Length == 0 || label.Slug.Length == 0)
        {
            counts.Skipped(ImportKinds.Labels, "no name or address");
            return;
        }
        var prefix = label.IsTag ? "/tag/" : "/category/";
        var labelPath = PostUrls.LabelPath(name);
        var created = 0;
        foreach (var (old, target) in new[] { (prefix + label.Slug, labelPath), (prefix + label.Slug + "/feed", "/feeds/posts/default/-/" + Uri.EscapeDataString(name)) })
        {
            if (LegacyAddress.Normalize(old) is { } address && await ImportStore.AddLegacyAddressAsync(write.Connection, write.Transaction, address, null, target, ct))
            {
                created++;
            }
        }
        counts.RedirectsCreated += created;
        if (created > 0)
        {
            counts.Imported(ImportKinds.Labels);
        }
        else
        {
            counts.AlreadyImported(ImportKinds.Labels);
        }
    }

    /// <summary>A dry run's counts: what the write would do, judged without writing.</summary>
    private static void CountDryRun(Run run, Batch batch)
    {
        foreach (var post in batch.Posts)
        {
            run.Report.Imported(PostCountKind(post.Item));
            run.Report.RedirectsCreated += post.Item.OldAddresses.Count(old => LegacyAddress.Normalize(old) is not null);
            foreach (var label in post.Labels.Where(label => !run.Labels.Contains(label) && run.Labels.Count < MaxListed))
            {
                run.Labels.Add(label);
                run.Report.Labels.Add(label);
            }
        }
        foreach (var comment in batch.Comments)
        {
            if (run.Plan.ImportablePosts.Contains(comment.Item.PostSourceId))
            {
                run.Report.Imported(CommentCountKind(comment.Item));
            }
            else
            {
                run.Report.Skipped(CommentCountKind(comment.Item), "its post is not in the file", comment.Item.Line, "A comment whose post is not in the file was left out.");
            }
        }
        foreach (var _ in batch.Labels)
        {
            run.Report.Imported(ImportKinds.Labels);
            run.Report.RedirectsCreated += 2;
        }
    }

    private static void Merge(ImportReport from, ImportReport into)
    {
        foreach (var (kind, count) in from.Counts)
        {
            var total = into.For(kind);
            total.Imported += count.Imported;
            total.AlreadyImported += count.AlreadyImported;
            foreach (var (reason, n) in count.Skipped)
            {
                total.Skipped[reason] = total.Skipped.GetValueOrDefault(reason) + n;
            }
        }
        foreach (var note in from.Notes)
        {
            into.Note(note.Line, note.Message);
        }
        into.RedirectsCreated += from.RedirectsCreated;
        into.Labels.AddRange(from.Labels);
    }

    private static bool IsImportable(ImportedComment comment) =>
        comment.CommentKind == ImportedCommentKind.Comment && comment.Status is ImportedCommentStatus.Approved or ImportedCommentStatus.Held;

    private static string PostCountKind(ImportedPost post) => post.Kind == PostKind.Page ? ImportKinds.Pages : ImportKinds.Posts;

    private static string CommentCountKind(ImportedComment comment) =>
        comment.CommentKind == ImportedCommentKind.Comment ? ImportKinds.Comments : ImportKinds.Pingbacks;

    private static string GuestName(ImportedComment comment)
    {
        var name = MediaTitle(comment.AuthorName);
        return name.Length > 0 ? name : "Anonymous";
    }

    /// <summary>One line, within the editor's title limit.</summary>
    private static string MediaTitle(string text)
    {
        var line = Media.MediaCommands.OneLine(text);
        return line.Length <= PostForm.TitleMaxLength ? line : line[..PostForm.TitleMaxLength];
    }

    private static string CleanLabel(string text)
    {
        var label = Media.MediaCommands.OneLine(text);
        return label.Length <= LabelMaxLength ? label : label[..LabelMaxLength].TrimEnd();
    }

    private static List<string> CleanLabels(ImportedPost post, ImportReport report)
    {
        var labels = new List<string>();
        foreach (var label in post.Labels.Select(CleanLabel).Where(label => label.Length > 0))
        {
            if (!labels.Contains(label, StringComparer.OrdinalIgnoreCase))
            {
                labels.Add(label);
            }
        }
        if (labels.Count > MaxLabelsPerPost)
        {
            report.Note(post.Line, $"“{post.Title}” had {labels.Count} labels; it keeps the first {MaxLabelsPerPost}.");
            labels = labels[..MaxLabelsPerPost];
        }
        return labels;
    }

    private static void AddListed(List<string> list, string title)
    {
        if (list.Count < MaxListed)
        {
            list.Add(title);
        }
    }

    [GeneratedRegex(@"\.post-(\d{1,20})$", RegexOptions.CultureInvariant)]
    private static partial Regex BloggerPostNumber();

    private sealed class Plan
    {
        public string SourceKey { get; set; } = "";
        public Uri? BlogAddress { get; set; }
        public HashSet<string> OldHosts { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Source ids of the posts and pages the file holds and an import keeps (not those in the trash).</summary>
        public HashSet<string> ImportablePosts { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Run(IImportSource source, ImportRequest request, ImportReport report, Plan plan, IProgress<ImportProgress>? progress)
    {
        public IImportSource Source => source;
        public ImportRequest Request => request;
        public ImportReport Report => report;
        public Plan Plan => plan;
        public IProgress<ImportProgress>? Progress => progress;
        public required ImportedHtmlContext Html { get; init; }
        public HashSet<string> Labels { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Comments the writing pass could not place (parent or post later in the file).</summary>
        public int Deferred { get; set; }

        public bool Wrote { get; set; }
        public int LastCommittedLine { get; set; }
    }

    private sealed class Batch
    {
        public List<PreparedPost> Posts { get; } = [];
        public List<PreparedComment> Comments { get; } = [];
        public List<ImportedComment> Links { get; } = [];
        public List<ImportedLabel> Labels { get; } = [];
        public int Count => Posts.Count + Comments.Count + Links.Count + Labels.Count;

        public int LastLine => Math.Max(
            Math.Max(Posts.Select(p => p.Item.Line).DefaultIfEmpty(0).Max(), Comments.Select(c => c.Item.Line).DefaultIfEmpty(0).Max()),
            Labels.Select(l => l.Line).DefaultIfEmpty(0).Max());

        public void Clear()
        {
            Posts.Clear();
            Comments.Clear();
            Links.Clear();
            Labels.Clear();
        }
    }

    private sealed record PreparedPost
    {
        public required ImportedPost Item { get; init; }
        public required PostWrite Write { get; init; }
        public required PostPictures Pictures { get; init; }
        public required IReadOnlyList<string> Labels { get; init; }
        public required string Title { get; init; }
    }

    private sealed record PreparedComment(ImportedComment Item, string Html);
}

/// <summary>An import that stopped part-way (not a refused file): what was written before it stays, and says so.</summary>
public sealed class ImportInterruptedException(string message, Exception inner) : Exception(message, inner);
