using System.Globalization;

namespace Blog.Web.Features.Import.Runs;

/// <summary>A report's counts in the order people read them, shared by the import page and the <c>import</c> command.</summary>
public static class ImportReportSummary
{
    private static readonly string[] KindOrder =
    [
        ImportKinds.Posts, ImportKinds.Pages, ImportKinds.Comments, ImportKinds.Pingbacks, ImportKinds.Labels,
        ImportKinds.Attachments, ImportKinds.Images, ImportKinds.Other,
    ];

    public static IEnumerable<(string Kind, ImportCount Count)> Rows(ImportReport report) =>
        report.Counts
            .OrderBy(pair => Array.IndexOf(KindOrder, pair.Key) is var at and >= 0 ? at : KindOrder.Length)
            .ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => (pair.Key, pair.Value));

    /// <summary>"2 spam, 1 in the trash": why things were left out, most frequent first.</summary>
    public static string SkippedReasons(ImportCount count) =>
        string.Join(", ", count.Skipped.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Value:N0} {pair.Key}")));

    public static string FormatName(ExportFormat? format) => format switch
    {
        ExportFormat.BloggerClassic => "Blogger export (Atom)",
        ExportFormat.BloggerTakeout => "Blogger, Google Takeout",
        ExportFormat.WordPress => "WordPress (WXR)",
        _ => "unknown",
    };

    /// <summary>The report as plain text, one fact a line, for the command line.</summary>
    public static IEnumerable<string> Lines(ImportReport report)
    {
        yield return $"{(report.DryRun ? "Dry run of" : "Imported")} {report.FileName}: {FormatName(report.Format)}" +
                     (report.BlogTitle.Length > 0 ? $", \"{report.BlogTitle}\"" : "");
        foreach (var (kind, count) in Rows(report))
        {
            var skipped = count.SkippedTotal > 0 ? $", skipped {count.SkippedTotal:N0} ({SkippedReasons(count)})" : "";
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{kind}: found {count.Found:N0}, imported {count.Imported:N0}, already there {count.AlreadyImported:N0}{skipped}");
        }
        if (report.Labels.Count > 0)
        {
            yield return "labels: " + string.Join(", ", report.Labels);
        }
        yield return string.Create(CultureInfo.InvariantCulture,
            $"old addresses redirected: {report.RedirectsCreated:N0}; pictures stored: {report.ImagesStored:N0}; replies flattened: {report.FlattenedReplies:N0}");
        foreach (var title in report.PrivatePosts)
        {
            yield return $"kept as a draft (private or password-protected): {title}";
        }
        foreach (var title in report.SanitizedPosts)
        {
            yield return $"changed by the sanitizer: {title}";
        }
        foreach (var image in report.ImagesLeftRemote)
        {
            yield return $"picture left on the old host: {image.Address} (in {string.Join("; ", image.PostTitles)})";
        }
        foreach (var note in report.Notes)
        {
            yield return note.Line > 0 ? string.Create(CultureInfo.InvariantCulture, $"line {note.Line}: {note.Message}") : note.Message;
        }
        if (report.NotesLeftOut > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"… and {report.NotesLeftOut:N0} more notes");
        }
    }
}
