using System.Text;
using AngleSharp.Dom;

namespace Blog.Web.Content;

/// <summary>
/// The words a reader sees in sanitized HTML: entities decoded, tags gone, one space between blocks (so the last
/// word of a paragraph never runs into the first of the next) and runs of white space collapsed.
/// </summary>
internal static class VisibleText
{
    private static readonly HashSet<string> BlockElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "pre",
        "tr", "td", "th", "table", "br", "hr", "ul", "ol", "figure", "figcaption",
    };

    public static string Of(INode root)
    {
        var text = new StringBuilder();
        Append(root, text);
        return CollapseWhitespace(text.ToString());
    }

    private static void Append(INode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText textNode:
                    text.Append(textNode.Data);
                    break;
                case IElement element when element.ClassList.Contains("footnote-back-ref"):
                    break;
                case IElement element:
                    var block = BlockElements.Contains(element.LocalName);
                    if (block)
                    {
                        text.Append(' ');
                    }
                    Append(element, text);
                    if (block)
                    {
                        text.Append(' ');
                    }
                    break;
            }
        }
    }

    /// <summary>Each run of white space as one space, none at either end.</summary>
    public static string CollapseWhitespace(string text)
    {
        var result = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = result.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                result.Append(' ');
                pendingSpace = false;
            }
            result.Append(c);
        }
        return result.ToString();
    }
}
