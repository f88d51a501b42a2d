using System.Xml;
using Blog.Web.Features.Export;

namespace Blog.Web.Tests.Features.Export;

public sealed class ExportXmlTests
{
    // Lone surrogates do not survive as theory data (they are serialized as UTF-8), so the cases live here.
    private static readonly (string Text, string Expected)[] Cases =
    [
        ("plain text", "plain text"),
        ("a\u0001b\u001Fc\td\ne\rf", "abc\td\ne\rf"),
        ("lone \ud800 high and \udc00 low", "lone  high and  low"),
        ("pair \ud83d\ude42 kept", "pair \ud83d\ude42 kept"),
        ("\ufffe\uffff", ""),
        ("ends with a high \ud83d", "ends with a high "),
        ("a low first \ude42\ud83d then", "a low first  then"),
    ];

    [Fact]
    public void CleanLeavesOnlyWhatXmlCanHold()
    {
        foreach (var (text, expected) in Cases)
        {
            var clean = ExportXml.Clean(text);

            Assert.Equal(expected, clean);
            Assert.Null(Record.Exception(() => XmlConvert.VerifyXmlChars(clean)));
        }
    }

    [Fact]
    public void WordPressBodiesLoseLineBreaksOutsidePreOnly()
    {
        const string html = "<p>one\ntwo</p>\r\n<pre class=\"x\"><code>a\nb</code></pre>\n<p>three</p>\n<pre>c\nd</pre>";

        Assert.Equal("<p>one two</p> <pre class=\"x\"><code>a\nb</code></pre> <p>three</p> <pre>c\nd</pre>", ExportXml.Body(html, "https://x.example", wordPressLineBreaks: true));
        Assert.Equal(html, ExportXml.Body(html, "https://x.example", wordPressLineBreaks: false));
    }
}
