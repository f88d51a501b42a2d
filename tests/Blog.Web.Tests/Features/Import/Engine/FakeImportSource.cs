using Blog.Web.Features.Import;

namespace Blog.Web.Tests.Features.Import.Engine;

/// <summary>An export held in memory: its items in file order, and the pictures its archive holds by address.</summary>
public sealed class FakeImportSource(IReadOnlyList<ImportedItem> items, ExportFormat format = ExportFormat.WordPress) : IImportSource
{
    public Dictionary<string, byte[]> Pictures { get; } = new(StringComparer.Ordinal);

    /// <summary>How many passes over the file were started.</summary>
    public int Passes { get; private set; }

    /// <summary>When set, the pass with this number throws this after this many items (a failing disk, say).</summary>
    public (int Pass, int AfterItems, Exception Error)? Failure { get; set; }

    public ExportFormat Format => format;

    public string FileName => "export.xml";

    public long FeedLength => items.Count;

    public long FeedPosition { get; private set; }

    public IEnumerable<ImportedItem> ReadItems(ImportReport report)
    {
        var pass = ++Passes;
        FeedPosition = 0;
        foreach (var item in items)
        {
            if (Failure is { } failure && failure.Pass == pass && FeedPosition == failure.AfterItems)
            {
                throw failure.Error;
            }
            FeedPosition++;
            yield return item;
        }
    }

    public Stream? OpenImage(string address) => Pictures.TryGetValue(address, out var bytes) ? new MemoryStream(bytes) : null;

    public void Dispose()
    {
    }
}
