using System.Globalization;
using System.Text;
using Blog.Web.Features.Import;
using Blog.Web.Features.Import.Sources;

namespace Blog.Web.Tests.Features.Import.Sources;

/// <summary>Files made to hurt a parser, or simply not exports: each is refused with a clear reason, never a crash.</summary>
public sealed class HostileExportTests : IDisposable
{
    private readonly ExportFiles _files = new();

    private static ImportRefusedException Refusal(string path) =>
        Assert.Throws<ImportRefusedException>(() => ExportFiles.Read(path));

    [Fact]
    public void ExternalEntityIsRefusedAndNothingIsRead()
    {
        var path = _files.Write("xxe.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE feed [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <feed xmlns="http://www.w3.org/2005/Atom"><id>tag:blogger.com,1999:blog-1.archive</id><title>&secret;</title></feed>
            """);

        var refusal = Refusal(path);

        Assert.Contains("DTD", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BillionLaughsIsRefused()
    {
        var entities = new StringBuilder("<!ENTITY lol0 \"lol\">");
        for (var i = 1; i < 10; i++)
        {
            entities.Append(CultureInfo.InvariantCulture, $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">");
        }
        var path = _files.Write("laughs.xml",
            $"<?xml version=\"1.0\"?><!DOCTYPE rss [{entities}]><rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><title>&lol9;</title></channel></rss>");

        var refusal = Refusal(path);

        Assert.Contains("DTD", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TenThousandLevelsOfNestingInAnEntryAreRefusedWithTheLine()
    {
        var deep = string.Concat(Enumerable.Repeat("<x>", 10_000)) + string.Concat(Enumerable.Repeat("</x>", 10_000));
        var path = _files.Write("deep.xml", $"""
            <feed xmlns="http://www.w3.org/2005/Atom">
            <id>tag:blogger.com,1999:blog-1.archive</id>
            <entry>
            <id>tag:blogger.com,1999:blog-1.post-2</id>
            {deep}
            </entry>
            </feed>
            """);

        var refusal = Refusal(path);

        Assert.Contains("nested more than", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Line 5", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeepNestingOutsideEntriesIsSkippedWithoutRecursion()
    {
        var deep = string.Concat(Enumerable.Repeat("<x>", 10_000)) + string.Concat(Enumerable.Repeat("</x>", 10_000));
        var path = _files.Write("deep-header.xml", $"""
            <rss xmlns:wp="http://wordpress.org/export/1.2/" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
              xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><junk>{deep}</junk><channel><title>T</title>
            <link>https://example.org</link>
            {SampleExports.WordPressItem(7, "Survivor", "Body")}
            </channel></rss>
            """);

        var export = ExportFiles.Read(path);

        Assert.Equal("Survivor", Assert.Single(export.Posts).Title);
    }

    [Fact]
    public void TruncatedFileIsRefusedWithTheLineItStopsAt()
    {
        var whole = SampleExports.BloggerClassic();
        var cut = whole[..whole.IndexOf("<entry>", whole.IndexOf("kind#comment", StringComparison.Ordinal) - 400, StringComparison.Ordinal)];
        var path = _files.Write("cut.xml", cut);
        var lines = cut.Split('\n').Length;

        var refusal = Refusal(path);

        Assert.Contains($"line {lines}", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("not a well-formed export", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8IsRefusedWithItsLine()
    {
        var text = SampleExports.BloggerClassic();
        var bytes = Encoding.UTF8.GetBytes(text);
        var at = text.IndexOf("Hello from", StringComparison.Ordinal);
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;
        var path = _files.Write("bad-utf8.xml", bytes);
        var line = text[..at].Split('\n').Length;

        var refusal = Refusal(path);

        Assert.Contains($"line {line}", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("empty.xml", "", "is empty")]
    [InlineData("notes.xml", "These are my notes, not XML at all.", "not a Blogger or WordPress export")]
    [InlineData("export.xml", "<!DOCTYPE html><html><head><title>Blog</title></head><body>Hi</body></html>", "web page (HTML)")]
    [InlineData("export.xml", "<html><body><p>Saved page</p></body></html>", "web page (HTML)")]
    [InlineData("feed.xml", "<feed xmlns=\"http://www.w3.org/2005/Atom\"><id>urn:x</id><title>Other</title><entry/></feed>", "not a Blogger export")]
    [InlineData("rss.xml", "<rss version=\"2.0\"><channel><title>A podcast</title></channel></rss>", "not a WordPress export")]
    [InlineData("data.xml", "<catalog><book/></catalog>", "root element is <catalog>")]
    [InlineData("binary.xml", "\u0001\u0002\u0003PNG", "not a Blogger or WordPress export")]
    public void WhatIsNotAnExportIsRefusedSayingWhat(string name, string content, string reason)
    {
        var path = _files.Write(name, content);

        var refusal = Refusal(path);

        Assert.Contains(reason, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZipWithANameClimbingOutOfItIsRefused()
    {
        var path = _files.Zip("takeout.zip",
            ("Takeout/Blogger/Blogs/Mine/feed.atom", Encoding.UTF8.GetBytes(SampleExports.Takeout())),
            ("../../etc/cron.d/evil", "* * * * * root true"u8.ToArray()));

        var refusal = Refusal(path);

        Assert.Contains("points outside the archive", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("uploads\\..\\..\\x.jpg")]
    [InlineData("C:/Windows/x.jpg")]
    public void ZipWithAnAbsoluteOrBackslashedEscapingNameIsRefused(string name)
    {
        var path = _files.Zip("export.zip",
            ("export.xml", Encoding.UTF8.GetBytes(SampleExports.WordPress())),
            (name, [1, 2, 3]));

        Assert.Contains("points outside the archive", Refusal(path).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZipBombIsRefusedBeforeItIsUnpacked()
    {
        var path = _files.Zip("bomb.zip",
            ("export.xml", Encoding.UTF8.GetBytes(SampleExports.WordPress())),
            ("uploads/2020/01/zeros.jpg", new byte[64 * 1024 * 1024]));

        var refusal = Refusal(path);

        Assert.Contains("zip bomb", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DamagedZipIsRefused()
    {
        var zip = File.ReadAllBytes(_files.Zip("whole.zip", ("export.xml", Encoding.UTF8.GetBytes(SampleExports.WordPress()))));
        var path = _files.Write("damaged.zip", zip[..(zip.Length / 2)]);

        Assert.Contains("damaged", Refusal(path).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZipWithoutAnExportIsRefused()
    {
        var path = _files.Zip("photos.zip", ("Albums/Trip/one.jpg", [1, 2, 3]), ("readme.txt", "hello"u8.ToArray()));

        Assert.Contains("holds no Blogger or WordPress export", Refusal(path).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatIsToldByContentWhateverTheFileIsCalled()
    {
        var wordpress = _files.Write("blog-export.atom", SampleExports.WordPress());
        var classic = _files.Write("wordpress.wxr", SampleExports.BloggerClassic());
        var takeout = _files.Write("export.zip", SampleExports.Takeout());
        var zipped = _files.Zip("feed.atom", ("backup/site.txt", Encoding.UTF8.GetBytes(SampleExports.WordPress())));

        Assert.Equal(ExportFormat.WordPress, ExportFiles.Read(wordpress).Format);
        Assert.Equal(ExportFormat.BloggerClassic, ExportFiles.Read(classic).Format);
        Assert.Equal(ExportFormat.BloggerTakeout, ExportFiles.Read(takeout).Format);
        Assert.Equal(ExportFormat.WordPress, ExportFiles.Read(zipped).Format);
    }

    [Fact]
    public void FeedPositionReachesTheFeedLengthAtTheEndOfAPass()
    {
        var path = _files.Write("export.xml", SampleExports.WordPress());
        using var source = ImportSources.Open(path, "uploaded.xml", null);
        var positions = new List<long>();

        foreach (var _ in source.ReadItems(new ImportReport()))
        {
            positions.Add(source.FeedPosition);
        }

        Assert.Equal("uploaded.xml", source.FileName);
        Assert.Equal(new FileInfo(path).Length, source.FeedLength);
        Assert.Equal(source.FeedLength, source.FeedPosition);
        Assert.Equal(positions.Order(), positions);
        Assert.True(positions[0] > 0);
    }

    public void Dispose() => _files.Dispose();
}
