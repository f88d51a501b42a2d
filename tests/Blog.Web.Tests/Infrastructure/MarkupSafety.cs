using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// Says what in a piece of HTML could run script or load active content, judged the way a browser sees it: the
/// markup is parsed first (AngleSharp, the parser HtmlSanitizer itself uses) and the elements and attributes are
/// inspected, so encoded or oddly spaced tricks are caught, and escaped text that merely mentions them is not.
/// </summary>
public static class MarkupSafety
{
    private static readonly HtmlParser Parser = new();

    /// <summary>Elements no page of ours contains and no sanitized text may produce.</summary>
    private static readonly HashSet<string> ActiveElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "base", "style", "template", "portal",
        "noscript", "xmp", "plaintext",
    };

    /// <summary>Extra elements a stored fragment (post or comment body) may not hold, though the page's own chrome has them.</summary>
    private static readonly HashSet<string> PageOnlyElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "form", "input", "button", "textarea", "select", "option", "link", "meta", "title", "head", "body",
    };

    /// <summary>Attributes whose value a browser follows or loads as an address.</summary>
    private static readonly HashSet<string> UrlAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "href", "src", "action", "formaction", "xlink:href", "poster", "background", "data", "codebase", "cite",
        "ping", "lowsrc", "dynsrc", "srcset", "manifest", "longdesc", "usemap",
    };

    private static readonly HashSet<string> RawUrlAttributes = new(["href", "src", "action", "formaction"], StringComparer.OrdinalIgnoreCase);

    private static readonly string[] DangerousSchemes = ["javascript:", "vbscript:", "data:", "livescript:"];

    /// <summary>Problems in a whole page: anything beyond the app's own external scripts and its JSON-LD block.</summary>
    public static IReadOnlyList<string> PageProblems(string html)
    {
        var document = Parser.ParseDocument(html);
        var problems = new List<string>();
        foreach (var element in document.All)
        {
            CheckElement(element, problems);
            if (element.LocalName == "script" && !IsOwnScript(element))
            {
                problems.Add("script element: " + Describe(element));
            }
            if (element.LocalName == "form" && element.GetAttribute("action") is { Length: > 0 } action
                && (!action.StartsWith('/') || action.StartsWith("//", StringComparison.Ordinal)))
            {
                problems.Add("form posting elsewhere: " + Describe(element));
            }
        }
        return problems;
    }

    /// <summary>
    /// Problems in a stored body (sanitized HTML placed inside a page): the parsed checks, the page-only elements,
    /// and plain substring checks that do not depend on any parser agreeing with a browser.
    /// </summary>
    public static IReadOnlyList<string> FragmentProblems(string html)
    {
        var problems = new List<string>();
        if (html.Contains("<script", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("raw <script in the output");
        }
        foreach (var (name, value) in RawAttributes(html))
        {
            if (name.StartsWith("on", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"raw event-handler attribute {name}={value}");
            }
            else if (RawUrlAttributes.Contains(name) && value.TrimStart().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"raw javascript: address in {name}={value}");
            }
        }
        var body = Parser.ParseDocument("<!DOCTYPE html><html><head></head><body><div>" + html + "</div></body></html>").Body!;
        foreach (var element in body.QuerySelectorAll("*"))
        {
            CheckElement(element, problems);
            if (PageOnlyElements.Contains(element.LocalName))
            {
                problems.Add("unexpected element: " + Describe(element));
            }
        }
        return problems;
    }

    private static void CheckElement(IElement element, List<string> problems)
    {
        if (ActiveElements.Contains(element.LocalName))
        {
            problems.Add("active element: " + Describe(element));
        }
        foreach (var attribute in element.Attributes)
        {
            var name = attribute.Name;
            if (name.StartsWith("on", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"event handler {name}: " + Describe(element));
            }
            else if (name.Equals("style", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add("inline style: " + Describe(element));
            }
            else if (name.Equals("srcdoc", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add("srcdoc: " + Describe(element));
            }
            else if (UrlAttributes.Contains(name) && HasDangerousScheme(name, attribute.Value))
            {
                problems.Add($"dangerous address in {name}: " + Describe(element));
            }
        }
        if (element.LocalName == "meta" && element.GetAttribute("http-equiv") is { } equiv
            && equiv.Trim().Equals("refresh", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("meta refresh: " + Describe(element));
        }
    }

    /// <summary>
    /// Browsers ignore whitespace and control characters inside a scheme ("java\tscript:"), so this does too. Only
    /// srcset (by commas) and ping (by spaces) hold several addresses, any one of which counts; anywhere else a comma
    /// is part of one address, and "https://a.test/,vbscript:x" is a harmless https link.
    /// </summary>
    private static bool HasDangerousScheme(string name, string value)
    {
        var addresses = name.ToLowerInvariant() switch
        {
            "srcset" => value.Split(','),
            "ping" => value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries),
            _ => [value],
        };
        return addresses.Any(address =>
        {
            var squeezed = new string([.. address.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c))]);
            return DangerousSchemes.Any(scheme => squeezed.StartsWith(scheme, StringComparison.OrdinalIgnoreCase));
        });
    }

    /// <summary>The layout's scripts are files of our own; the post page also carries one JSON-LD block of encoded data.</summary>
    private static bool IsOwnScript(IElement script)
    {
        if (script.GetAttribute("src") is { } src)
        {
            return src.StartsWith('/') && !src.StartsWith("//", StringComparison.Ordinal) && script.TextContent.Trim().Length == 0;
        }
        if (script.GetAttribute("type") != "application/ld+json" || script.TextContent.Contains('<', StringComparison.Ordinal))
        {
            return false;
        }
        try
        {
            using var _ = JsonDocument.Parse(script.TextContent);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Describe(IElement element)
    {
        var html = element.OuterHtml;
        return html.Length > 200 ? html[..200] + "…" : html;
    }

    /// <summary>
    /// The attributes of every start tag, found by scanning the text left to right without any HTML library: a
    /// second opinion that does not depend on AngleSharp. Text between tags and quoted values are skipped whole.
    /// </summary>
    private static IEnumerable<(string Name, string Value)> RawAttributes(string html)
    {
        var i = 0;
        while ((i = html.IndexOf('<', i)) >= 0)
        {
            i++;
            if (i >= html.Length || !char.IsAsciiLetter(html[i]))
            {
                continue;
            }
            while (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] is not ('>' or '/'))
            {
                i++;
            }
            while (i < html.Length && html[i] != '>')
            {
                if (char.IsWhiteSpace(html[i]) || html[i] == '/')
                {
                    i++;
                    continue;
                }
                var nameStart = i;
                while (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] is not ('=' or '>' or '/'))
                {
                    i++;
                }
                var name = html[nameStart..i];
                while (i < html.Length && char.IsWhiteSpace(html[i]))
                {
                    i++;
                }
                var value = "";
                if (i < html.Length && html[i] == '=')
                {
                    i++;
                    while (i < html.Length && char.IsWhiteSpace(html[i]))
                    {
                        i++;
                    }
                    if (i < html.Length && html[i] is '"' or '\'')
                    {
                        var end = html.IndexOf(html[i], i + 1);
                        end = end < 0 ? html.Length : end;
                        value = html[(i + 1)..end];
                        i = Math.Min(end + 1, html.Length);
                    }
                    else
                    {
                        var valueStart = i;
                        while (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] != '>')
                        {
                            i++;
                        }
                        value = html[valueStart..i];
                    }
                }
                yield return (name, value);
            }
        }
    }
}
