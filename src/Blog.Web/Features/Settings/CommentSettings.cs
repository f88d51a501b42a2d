using System.Globalization;

namespace Blog.Web.Features.Settings;

/// <summary>
/// The owner's comment rules (Blogger's moderation settings), edited on the moderation page and stored in
/// site_settings under "Comments.*". The fixed limits from configuration are <see cref="Comments.CommentOptions"/>.
/// </summary>
public sealed record CommentSettings
{
    public CommentModeration Moderation { get; init; } = CommentModeration.Never;

    /// <summary>With <see cref="CommentModeration.OlderThanDays"/>: posts older than this many days are moderated.</summary>
    public int ModerateAfterDays { get; init; } = 14;

    /// <summary>Members with at least this many approved comments skip moderation; 0 turns this off.</summary>
    public int TrustedAfterApproved { get; init; }

    /// <summary>A comment with this many links or more is held; 0 turns this off.</summary>
    public int HoldLinksAtLeast { get; init; } = 2;

    /// <summary>One word or phrase a line; a comment containing any of them is held.</summary>
    public string BlockedWords { get; init; } = "";

    /// <summary>Posts older than this many days take no new comments; 0 means never close.</summary>
    public int CloseAfterDays { get; init; }

    public IReadOnlyList<string> BlockedWordList =>
        BlockedWords.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private const string Prefix = "Comments.";

    internal static CommentSettings Merge(CommentSettings defaults, IReadOnlyDictionary<string, string> stored) => new()
    {
        Moderation = stored.TryGetValue(Prefix + nameof(Moderation), out var mode)
            && Enum.TryParse<CommentModeration>(mode, out var parsedMode) && Enum.IsDefined(parsedMode)
                ? parsedMode
                : defaults.Moderation,
        ModerateAfterDays = Number(stored, nameof(ModerateAfterDays), defaults.ModerateAfterDays),
        TrustedAfterApproved = Number(stored, nameof(TrustedAfterApproved), defaults.TrustedAfterApproved),
        HoldLinksAtLeast = Number(stored, nameof(HoldLinksAtLeast), defaults.HoldLinksAtLeast),
        BlockedWords = stored.GetValueOrDefault(Prefix + nameof(BlockedWords), defaults.BlockedWords),
        CloseAfterDays = Number(stored, nameof(CloseAfterDays), defaults.CloseAfterDays),
    };

    internal IEnumerable<(string Key, string Value)> ToRows() =>
    [
        (Prefix + nameof(Moderation), Moderation.ToString()),
        (Prefix + nameof(ModerateAfterDays), ModerateAfterDays.ToString(CultureInfo.InvariantCulture)),
        (Prefix + nameof(TrustedAfterApproved), TrustedAfterApproved.ToString(CultureInfo.InvariantCulture)),
        (Prefix + nameof(HoldLinksAtLeast), HoldLinksAtLeast.ToString(CultureInfo.InvariantCulture)),
        (Prefix + nameof(BlockedWords), BlockedWords),
        (Prefix + nameof(CloseAfterDays), CloseAfterDays.ToString(CultureInfo.InvariantCulture)),
    ];

    private static int Number(IReadOnlyDictionary<string, string> stored, string name, int fallback) =>
        stored.TryGetValue(Prefix + name, out var text)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : fallback;
}

/// <summary>When new comments wait for the owner's approval.</summary>
public enum CommentModeration
{
    Never = 0,
    Always = 1,
    OlderThanDays = 2,
}
