using Microsoft.AspNetCore.Html;

namespace Blog.Web.Features.Authoring;

/// <summary>The part of a post a revision keeps and a diff compares: what the author wrote.</summary>
public sealed record PostText
{
    public string Title { get; init; } = "";
    public string Subtitle { get; init; } = "";
    public string Labels { get; init; } = "";
    public string Body { get; init; } = "";

    public static PostText Of(PostForm form) => new()
    {
        Title = form.Title ?? "",
        Subtitle = form.Subtitle ?? "",
        Labels = form.Labels ?? "",
        Body = form.Body ?? "",
    };
}

/// <summary>Two texts compared field by field: what the newer one removed from and added to the older.</summary>
public sealed record TextComparison(
    IReadOnlyList<DiffPiece> Title,
    IReadOnlyList<DiffPiece> Subtitle,
    IReadOnlyList<DiffPiece> Labels,
    IReadOnlyList<DiffPiece> Body)
{
    public static TextComparison Of(PostText older, PostText newer) => new(
        WordDiff.Compare(older.Title, newer.Title),
        WordDiff.Compare(older.Subtitle, newer.Subtitle),
        WordDiff.Compare(older.Labels, newer.Labels),
        WordDiff.Compare(older.Body, newer.Body));

    public bool IsUnchanged => new[] { Title, Subtitle, Labels, Body }.All(part => part.All(piece => piece.Kind == DiffKind.Same));
}

/// <summary>One line of a post's revision list.</summary>
public sealed record RevisionListRow
{
    public long Version { get; init; }
    public string? EditorName { get; init; }
    /// <summary>A <see cref="RevisionOrigin"/>.</summary>
    public string Origin { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public string Title { get; init; } = "";
}

/// <summary>A stored revision with its text.</summary>
public sealed record RevisionRow
{
    public long Version { get; init; }
    public string? EditorName { get; init; }
    /// <summary>A <see cref="RevisionOrigin"/>.</summary>
    public string Origin { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public string Title { get; init; } = "";
    public string Subtitle { get; init; } = "";
    public string Labels { get; init; } = "";
    public string Body { get; init; } = "";

    public PostText Text => new() { Title = Title, Subtitle = Subtitle, Labels = Labels, Body = Body };
}

/// <summary>Text autosaved for one person while editing a post.</summary>
public sealed record AutosaveRow
{
    public long BaseVersion { get; init; }
    public string Title { get; init; } = "";
    public string Subtitle { get; init; } = "";
    public string Body { get; init; } = "";
    public string Labels { get; init; } = "";
    public DateTime SavedAt { get; init; }

    public PostText Text => new() { Title = Title, Subtitle = Subtitle, Labels = Labels, Body = Body };
}

/// <summary>What an autosave writes.</summary>
public sealed record AutosaveWrite
{
    public required long BaseVersion { get; init; }
    public required string Title { get; init; }
    public required string Subtitle { get; init; }
    public required string Body { get; init; }
    public required string Labels { get; init; }
    public required DateTime SavedAt { get; init; }
}

/// <summary>The times and names pages show, in the blog's time zone and date format.</summary>
public sealed record RevisionClock(TimeZoneInfo Zone, string DateFormat)
{
    public string Show(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone)
            .ToString(DateFormat + " HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    public static string Who(string? editorName) => editorName ?? "a deleted account";

    public static string How(string origin) => origin switch
    {
        RevisionOrigin.Restore => "restored",
        RevisionOrigin.Micropub => "from an app",
        RevisionOrigin.Import => "imported",
        _ => "edited",
    };
}

public sealed record RevisionListPage
{
    public required ContentKind Kind { get; init; }
    public required long PostId { get; init; }
    public required string PostTitle { get; init; }
    public required long CurrentVersion { get; init; }
    public required IReadOnlyList<RevisionListRow> Items { get; init; }
    /// <summary>The next page's keyset (versions below it), when there are older revisions.</summary>
    public long? OlderThan { get; init; }
    /// <summary>False past the first page, which links back to the newest.</summary>
    public required bool IsNewest { get; init; }
    public required RevisionClock Clock { get; init; }
}

public sealed record RevisionPage
{
    public required ContentKind Kind { get; init; }
    public required long PostId { get; init; }
    public required long CurrentVersion { get; init; }
    public required RevisionRow Revision { get; init; }
    public required RevisionClock Clock { get; init; }
}

public sealed record ComparePage
{
    public required ContentKind Kind { get; init; }
    public required long PostId { get; init; }
    public required string PostTitle { get; init; }
    public required long CurrentVersion { get; init; }
    public required RevisionRow From { get; init; }
    public required RevisionRow To { get; init; }
    public required TextComparison Comparison { get; init; }
    public required RevisionClock Clock { get; init; }
}

/// <summary>
/// A save refused because someone saved the post since the editor opened it: their text (who, when) and how the
/// refused text differs from it. The editor's form keeps the refused text, now based on their version.
/// </summary>
public sealed record ConflictPanel
{
    public required long SavedVersion { get; init; }
    public required string SavedBy { get; init; }
    public required string SavedAt { get; init; }
    public required PostText Saved { get; init; }
    /// <summary>From the saved text to the refused one: what saving again would change.</summary>
    public required TextComparison Comparison { get; init; }
}

/// <summary>An autosave newer than the post, offered when the editor opens.</summary>
public sealed record AutosaveOffer
{
    public required string SavedAt { get; init; }
    /// <summary>True when the post was saved again after the version the autosaved text was written on.</summary>
    public required bool IsOnOlderVersion { get; init; }
}

/// <summary>
/// A diff as HTML: removed text in &lt;del&gt;, added text in &lt;ins&gt;, each with words a screen reader says (it does
/// not announce the elements themselves). Built without any whitespace of its own, since the body's diff keeps the
/// text's line breaks and spaces as they are.
/// </summary>
public static class DiffMarkup
{
    public static IHtmlContent Of(IReadOnlyList<DiffPiece> pieces)
    {
        var html = new HtmlContentBuilder();
        foreach (var piece in pieces)
        {
            var (tag, said) = piece.Kind switch
            {
                DiffKind.Removed => ("del", "removed"),
                DiffKind.Added => ("ins", "added"),
                _ => ((string?)null, (string?)null),
            };
            if (tag is null)
            {
                html.Append(piece.Text);
                continue;
            }
            html.AppendHtml($"<{tag}><span class=\"visually-hidden\">[{said}: </span>");
            html.Append(piece.Text);
            html.AppendHtml($"<span class=\"visually-hidden\">]</span></{tag}>");
        }
        return html;
    }
}
