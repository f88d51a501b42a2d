using System.Globalization;
using System.Net;
using System.Text;

namespace Blog.Web.Features.Search;

/// <summary>
/// Turns whatever a reader typed into a query that cannot be a syntax error, for FTS5 or for PostgreSQL's tsquery:
/// only runs of letters and digits survive, each becomes a quoted term (so AND, NEAR, OR, *, ^, :, -, ! and quotes
/// are just words or gone), and the terms are ANDed. Long input is cut short; the index only needs a few words.
/// </summary>
public static class FtsQuery
{
    /// <summary>People type these meaning "and"; as search words they would only make every match fail.</summary>
    private static readonly HashSet<string> OperatorWords = new(["AND", "OR", "NOT", "NEAR"], StringComparer.Ordinal);

    public const int MaxInputLength = 256;

    public const int MaxTerms = 12;

    /// <summary>The FTS5 MATCH expression, or null when the input has nothing to search for.</summary>
    public static string? Build(string? input)
    {
        var terms = Terms(input);
        return terms.Count == 0 ? null : ForFts5(terms);
    }

    /// <summary>FTS5: quoted strings side by side are ANDed.</summary>
    public static string ForFts5(IReadOnlyList<string> terms) =>
        string.Join(' ', terms.Select(term => "\"" + term + "\""));

    /// <summary>
    /// PostgreSQL, for <c>to_tsquery</c>: each term a quoted lexeme, joined by &amp;. Inside quotes nothing is an
    /// operator, and at most <see cref="MaxTerms"/> terms keep the expression far from the parser's depth limit. The
    /// quoted text still goes through the text search configuration, so it is lower-cased and unaccented like the
    /// indexed words. Terms hold only letters, digits and marks; quotes and backslashes are escaped all the same.
    /// </summary>
    public static string ForTsQuery(IReadOnlyList<string> terms) =>
        string.Join(" & ", terms.Select(term => "'" + term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'"));

    public static IReadOnlyList<string> Terms(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return [];
        }
        var text = input.Length > MaxInputLength ? input[..MaxInputLength] : input;
        var terms = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (IsWordChar(c))
            {
                current.Append(c);
                continue;
            }
            Flush(current, terms);
        }
        Flush(current, terms);
        return [.. terms.Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxTerms)];
    }

    private static void Flush(StringBuilder current, List<string> terms)
    {
        // A run of combining marks alone is no word (and tokenizes to nothing); it needs a letter or digit.
        var word = current.ToString();
        if (word.Any(char.IsLetterOrDigit) && !OperatorWords.Contains(word))
        {
            terms.Add(word);
        }
        current.Clear();
    }

    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
}

/// <summary>
/// FTS5 marks matches in snippets with characters from the Private Use Area; the text is HTML-encoded first
/// and only then do the markers become &lt;mark&gt; elements, so nothing in a post can inject markup.
/// </summary>
public static class SnippetHighlighter
{
    public const string Open = "\uE000";

    public const string Close = "\uE001";

    public static string ToHtml(string snippet)
    {
        var html = new StringBuilder(snippet.Length + 32);
        var open = false;
        var chunk = new StringBuilder();
        foreach (var c in snippet)
        {
            if (c is not ('\uE000' or '\uE001'))
            {
                chunk.Append(c);
                continue;
            }
            html.Append(WebUtility.HtmlEncode(chunk.ToString()));
            chunk.Clear();
            // Only balanced tags come out, even if a post itself contains these private-use characters.
            if (c == '\uE000' && !open)
            {
                html.Append("<mark>");
                open = true;
            }
            else if (c == '\uE001' && open)
            {
                html.Append("</mark>");
                open = false;
            }
        }
        html.Append(WebUtility.HtmlEncode(chunk.ToString()));
        if (open)
        {
            html.Append("</mark>");
        }
        return html.ToString();
    }
}
