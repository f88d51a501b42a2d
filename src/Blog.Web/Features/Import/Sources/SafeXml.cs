using System.Xml;
using System.Xml.Linq;

namespace Blog.Web.Features.Import.Sources;

/// <summary>
/// How every export is parsed: streaming, with DTDs refused (no external entities, no entity expansion bombs) and no
/// resolver, one entry at a time materialised with a depth limit so a hostile file cannot make the reader recurse.
/// </summary>
internal static class SafeXml
{
    public const string AtomNamespace = "http://www.w3.org/2005/Atom";

    public const string AppNamespace = "http://purl.org/atom/app#";

    /// <summary>Deeper than any real post's HTML-in-XML gets; a file nested deeper is built to hurt a parser.</summary>
    public const int MaxEntryDepth = 100;

    public static XmlReader CreateReader(Stream stream)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 0,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = false,
        };
        // Some Blogger exports use the app: prefix without declaring it; bound here, a file that declares it wins.
        var names = new XmlNamespaceManager(new NameTable());
        names.AddNamespace("app", AppNamespace);
        var context = new XmlParserContext(null, names, null, XmlSpace.None);
        return XmlReader.Create(stream, settings, context);
    }

    public static int Line(XmlReader reader) => reader is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;

    /// <summary>
    /// Reads the element the reader is on, and everything in it, into an <see cref="XElement"/>, leaving the reader
    /// after its end. Iterative, and refused beyond <see cref="MaxEntryDepth"/> levels.
    /// </summary>
    public static XElement ReadElement(XmlReader reader)
    {
        var startDepth = reader.Depth;
        var root = StartElement(reader);
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return root;
        }
        var open = new Stack<XElement>();
        open.Push(root);
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (reader.Depth - startDepth > MaxEntryDepth)
                    {
                        throw new ImportRefusedException(
                            $"Line {Line(reader)}: elements are nested more than {MaxEntryDepth} levels deep; no export does that.");
                    }
                    var element = StartElement(reader);
                    open.Peek().Add(element);
                    if (!reader.IsEmptyElement)
                    {
                        open.Push(element);
                    }
                    break;
                case XmlNodeType.EndElement:
                    open.Pop();
                    if (open.Count == 0)
                    {
                        reader.Read();
                        return root;
                    }
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    open.Peek().Add(new XText(reader.Value));
                    break;
            }
        }
        return root;
    }

    private static XElement StartElement(XmlReader reader)
    {
        var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                if (reader.NamespaceURI == XNamespace.Xmlns.NamespaceName)
                {
                    // Kept so a reader can tell a declared prefix from one the parser context supplied.
                    if (reader.Prefix == "xmlns")
                    {
                        element.SetAttributeValue(XNamespace.Xmlns + reader.LocalName, reader.Value);
                    }
                }
                else
                {
                    element.SetAttributeValue(XName.Get(reader.LocalName, reader.NamespaceURI), reader.Value);
                }
            }
            while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }
        return element;
    }

    /// <summary>Moves to the next element child of the current level (or to the parent's end); false at the end.</summary>
    public static bool NextElement(XmlReader reader, int depth)
    {
        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.Depth == depth)
            {
                return true;
            }
            if (reader.Depth < depth)
            {
                return false;
            }
            if (reader.NodeType == XmlNodeType.Element && reader.Depth > depth)
            {
                reader.Skip();
                continue;
            }
            reader.Read();
        }
        return false;
    }

    /// <summary>The refusal for a file that stops being XML somewhere: the line and the parser's reason.</summary>
    public static ImportRefusedException Refused(XmlException error)
    {
        var where = error.LineNumber > 0 ? $"line {error.LineNumber}, position {error.LinePosition}: " : "";
        var reason = error.Message;
        var cut = reason.IndexOf(" Line ", StringComparison.Ordinal);
        if (cut > 0)
        {
            reason = reason[..cut];
        }
        if (reason.Contains("DTD", StringComparison.Ordinal))
        {
            reason = "the file declares a DTD (<!DOCTYPE …>); exports never do, and its entities could read files or exhaust memory";
        }
        return new ImportRefusedException($"The file is not a well-formed export ({where}{reason.TrimEnd('.')}).", error);
    }

    public static string Text(XElement? element) => element?.Value.Trim() ?? "";
}
