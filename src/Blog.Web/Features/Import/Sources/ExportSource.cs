using System.Xml;

namespace Blog.Web.Features.Import.Sources;

/// <summary>
/// An opened export: where its feed is (a file, or an entry of an archive), which reader understands it, and the
/// pictures that came with it.
/// </summary>
internal sealed class ExportSource(
    ExportFormat format,
    string fileName,
    long feedLength,
    Func<Stream> openFeed,
    IArchivePictures? pictures,
    IDisposable? archive) : IImportSource
{
    private CountingStream? _reading;

    public ExportFormat Format => format;

    public string FileName => fileName;

    public long FeedLength => feedLength;

    public long FeedPosition => Math.Min(_reading?.BytesRead ?? 0, feedLength);

    public IEnumerable<ImportedItem> ReadItems(ImportReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        report.FileName = fileName;
        report.Format = format;
        // A stream that inflates past what the archive declares is a bomb; a plain file is as long as it is.
        using var feed = new CountingStream(openFeed(), archive is null ? long.MaxValue : feedLength);
        _reading = feed;
        using var xml = SafeXml.CreateReader(feed);
        var items = format switch
        {
            ExportFormat.BloggerClassic => BloggerClassicReader.Read(xml, report),
            ExportFormat.BloggerTakeout => BloggerTakeoutReader.Read(xml, report),
            _ => WordPressReader.Read(xml, report),
        };
        using var each = items.GetEnumerator();
        while (true)
        {
            try
            {
                if (!each.MoveNext())
                {
                    break;
                }
            }
            catch (XmlException error)
            {
                throw SafeXml.Refused(error);
            }
            catch (InvalidDataException error)
            {
                throw new ImportRefusedException("The archive is damaged: the export inside it cannot be unpacked.", error);
            }
            yield return each.Current;
        }
    }

    public Stream? OpenImage(string address) => pictures?.Open(address);

    public void Dispose() => archive?.Dispose();
}

/// <summary>The pictures an export came with, found by the address a post shows them at.</summary>
internal interface IArchivePictures
{
    Stream? Open(string address);
}
