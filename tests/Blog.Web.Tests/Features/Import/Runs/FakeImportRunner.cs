using System.Collections.Concurrent;
using Blog.Web.Features.Import;

namespace Blog.Web.Tests.Features.Import.Runs;

/// <summary>
/// An importer that does what a slow real one looks like from outside: reads the file it is given, reports progress,
/// waits until the test lets it finish (or is stopped), then returns <see cref="Report"/> or throws
/// <see cref="Refusal"/>. It records each request and the bytes it found at its path.
/// </summary>
public sealed class FakeImportRunner : IImportRunner
{
    private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<(ImportRequest Request, byte[] Content)> Calls { get; } = new();

    /// <summary>Lets every run (now waiting or still to come) finish.</summary>
    public void Finish() => _finish.TrySetResult();

    /// <summary>Thrown when the run is let finish, instead of returning a report.</summary>
    public ImportRefusedException? Refusal { get; set; }

    public ImportReport Report { get; set; } = SampleReport();

    /// <summary>Set once a run has reported its progress and is waiting to be let finish.</summary>
    public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<ImportReport> RunAsync(ImportRequest request, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        Calls.Enqueue((request, await File.ReadAllBytesAsync(request.FilePath, ct)));
        progress?.Report(new ImportProgress("reading the file", 10, 400));
        progress?.Report(new ImportProgress("reading posts", 150, 400));
        Waiting.TrySetResult();
        await _finish.Task.WaitAsync(ct);
        progress?.Report(new ImportProgress("storing pictures", 400, 400));
        if (Refusal is { } refusal)
        {
            throw refusal;
        }
        Report.FileName = request.FileName ?? Path.GetFileName(request.FilePath);
        Report.DryRun = request.DryRun;
        return Report;
    }

    public static ImportReport SampleReport()
    {
        var report = new ImportReport { Format = ExportFormat.WordPress, BlogTitle = "Old & gold" };
        for (var i = 0; i < 7; i++)
        {
            report.Found(ImportKinds.Posts);
        }
        for (var i = 0; i < 5; i++)
        {
            report.Imported(ImportKinds.Posts);
        }
        report.AlreadyImported(ImportKinds.Posts);
        report.Skipped(ImportKinds.Posts, "in the trash");
        report.Found(ImportKinds.Comments);
        report.Found(ImportKinds.Comments);
        report.Imported(ImportKinds.Comments);
        report.Skipped(ImportKinds.Comments, "spam", 412, "A comment marked as spam was left out.");
        report.Labels.AddRange(["Travel", "Cooking"]);
        report.PrivatePosts.Add("My <secret> diary");
        report.SanitizedPosts.Add("Embedded video");
        report.ImagesLeftRemote.Add(new RemoteImage("https://1.bp.blogspot.com/a/s1600/cat.jpg", ["Cats", "More cats"]));
        report.RedirectsCreated = 9;
        report.ImagesStored = 4;
        report.FlattenedReplies = 2;
        return report;
    }
}
