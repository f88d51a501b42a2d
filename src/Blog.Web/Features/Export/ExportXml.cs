using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace Blog.Web.Features.Export;

/// <summary>What both export formats share: the writer's settings, text XML can carry, dates, bodies.</summary>
public static partial class ExportXml
{
    public static XmlWriterSettings Settings => new()
    {
        Async = true,
        Encoding = new UTF8Encoding(false),
        Indent = true,
        // The writer flushes into the stream as its buffer fills; closing it must not close the caller's stream.
        CloseOutput = false,
    };

    /// <summary>
    /// <paramref name="text"/> without the characters XML 1.0 cannot hold (control characters, lone surrogates,
    /// U+FFFE/U+FFFF): a comment with a stray U+0001 must not end an export half-written.
    /// </summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var firstBad = FirstInvalid(text, 0);
        if (firstBad < 0)
        {
            return text;
        }
        var clean = new StringBuilder(text.Length);
        var start = 0;
        while (firstBad >= 0)
        {
            clean.Append(text, start, firstBad - start);
            start = firstBad + 1;
            firstBad = FirstInvalid(text, start);
        }
        return clean.Append(text, start, text.Length - start).ToString();
    }

    private static int FirstInvalid(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c) || !XmlConvert.IsXmlChar(c))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>RFC 3339 in UTC, as Atom writes times.</summary>
    public static string AtomTime(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// A stored body as another blog should receive it: media addresses absolute (the pictures stay on this blog until
    /// they are moved too), and, for WordPress, line breaks outside &lt;pre&gt; as spaces — WordPress turns a line
    /// break into &lt;br&gt; and a blank line into a paragraph, where in HTML both are only spaces.
    /// </summary>
    public static string Body(string bodyHtml, string siteBase, bool wordPressLineBreaks)
    {
        var html = Feeds.FeedBodies.WithAbsoluteMedia(Clean(bodyHtml), siteBase);
        if (!wordPressLineBreaks || !html.Contains('\n', StringComparison.Ordinal))
        {
            return html;
        }
        var flattened = new StringBuilder(html.Length);
        var last = 0;
        foreach (Match pre in PreElement().Matches(html))
        {
            flattened.Append(LineBreaks().Replace(html[last..pre.Index], " ")).Append(pre.Value);
            last = pre.Index + pre.Length;
        }
        return flattened.Append(LineBreaks().Replace(html[last..], " ")).ToString();
    }

    // The sanitizer writes well-formed, lower-case markup, and a <pre> cannot hold another.
    [GeneratedRegex(@"<pre[\s>].*?</pre>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex PreElement();

    [GeneratedRegex(@"\r?\n", RegexOptions.CultureInvariant)]
    private static partial Regex LineBreaks();
}
