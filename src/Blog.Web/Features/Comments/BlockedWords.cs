using System.Globalization;
using System.Text;
using Blog.Web.Content;

namespace Blog.Web.Features.Comments;

/// <summary>
/// Finds the owner's blocked words in a comment: in what was typed, in the words readers will see once it is
/// rendered, and in where its links go. Matching only the Markdown let "sp&amp;#97;m", "s&lt;b&gt;&lt;/b&gt;pam" and "s*p*am"
/// through, though every reader reads "spam". As before, a word matches anywhere, in any case ("spam" also holds
/// "Spammer"); nothing else is loosened, so white space still separates words.
/// </summary>
public static class BlockedWords
{
    /// <summary>The first of <paramref name="words"/> the comment contains, or null.</summary>
    public static string? FindIn(IReadOnlyList<string> words, string markdown, RenderedComment rendered)
    {
        if (words.Count == 0)
        {
            return null;
        }
        string[] texts =
        [
            Fold(markdown),
            Fold(rendered.Text),
            .. rendered.LinkAddresses.Select(address => Fold(Uri.UnescapeDataString(address))),
        ];
        return words.FirstOrDefault(word =>
            Fold(word) is { Length: > 0 } folded && texts.Any(text => text.Contains(folded, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>
    /// One spelling for the ways a word can be written to look the same: compatibility forms (full-width
    /// "ｓｐａｍ", mathematical "𝐬𝐩𝐚𝐦", circled letters, ligatures) become plain letters (NFKC), invisible characters
    /// (zero-width spaces and joiners, soft hyphens, direction marks, variation selectors) go, and each run of
    /// white space becomes one space, so a blocked phrase matches across a line break.
    /// </summary>
    public static string Fold(string text)
    {
        var normalized = UnicodeText.ReplaceLoneSurrogates(text).Normalize(NormalizationForm.FormKC);
        return VisibleText.CollapseWhitespace(new string([.. normalized.Where(c => !IsInvisible(c))]));
    }

    private static bool IsInvisible(char c) =>
        char.GetUnicodeCategory(c) == UnicodeCategory.Format
        || c is '\u034F' or (>= '\uFE00' and <= '\uFE0F') or '\u115F' or '\u1160' or '\u3164' or '\uFFA0';
}
