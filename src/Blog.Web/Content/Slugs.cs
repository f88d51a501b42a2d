using System.Globalization;
using System.Text;

namespace Blog.Web.Content;

/// <summary>Addresses made from titles: "Crème brûlée, at last!" becomes "creme-brulee-at-last".</summary>
public static class Slugs
{
    public const int MaxLength = 80;

    /// <summary>Used when a title has no letters or digits we can spell in ASCII (e.g. only emoji).</summary>
    public const string Fallback = "post";

    /// <summary>Letters that do not decompose into a base letter plus accents.</summary>
    private static readonly Dictionary<char, string> Spelled = new()
    {
        ['ß'] = "ss", ['æ'] = "ae", ['œ'] = "oe", ['ø'] = "o", ['đ'] = "d", ['ð'] = "d", ['þ'] = "th",
        ['ł'] = "l", ['ı'] = "i", ['ħ'] = "h", ['ŀ'] = "l",
    };

    /// <summary>The slug for <paramref name="text"/>, or an empty string when nothing usable is left.</summary>
    public static string From(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }
        var slug = new StringBuilder(Math.Min(text.Length, MaxLength));
        var pendingDash = false;
        // A half character becomes a word break: a slug must never be the reason something fails.
        foreach (var c in UnicodeText.ReplaceLoneSurrogates(text, ' ').ToLowerInvariant().Normalize(NormalizationForm.FormD))
        {
            if (slug.Length >= MaxLength)
            {
                break;
            }
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            var piece = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c.ToString() : Spelled.GetValueOrDefault(c);
            if (piece is null)
            {
                pendingDash = slug.Length > 0;
                continue;
            }
            if (pendingDash)
            {
                slug.Append('-');
                pendingDash = false;
            }
            slug.Append(piece);
        }
        var result = slug.ToString();
        return result.Length > MaxLength ? result[..MaxLength].TrimEnd('-') : result.TrimEnd('-');
    }

    /// <summary>Like <see cref="From"/>, but never empty.</summary>
    public static string FromTitle(string? title) => From(title) is { Length: > 0 } slug ? slug : Fallback;

    /// <summary>"slug-2", "slug-3", ... kept within <see cref="MaxLength"/>.</summary>
    public static string WithSuffix(string slug, int number)
    {
        var suffix = "-" + number.ToString(CultureInfo.InvariantCulture);
        return slug[..Math.Min(slug.Length, MaxLength - suffix.Length)].TrimEnd('-') + suffix;
    }
}
