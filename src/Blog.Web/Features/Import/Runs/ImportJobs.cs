using System.Globalization;
using System.Threading.Channels;
using Blog.Web.Hosting;

namespace Blog.Web.Features.Import.Runs;

/// <summary>
/// Imports started from the owner's page: the uploaded file waits in the data folder's <c>imports/</c> under its
/// run's number, and <see cref="ImportWorker"/> runs them one at a time, in this process.
/// </summary>
public sealed class ImportJobs(ImportRunStore store, DataFolder folder)
{
    private readonly Channel<long> _queued = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });

    public string Folder
    {
        get
        {
            var path = Path.Combine(folder.Root, "imports");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    /// <summary>A new file in <see cref="Folder"/> for an upload to be written to before its run exists.</summary>
    public string NewUploadPath() => Path.Combine(Folder, "upload-" + Guid.NewGuid().ToString("N"));

    /// <summary>The export of run <paramref name="id"/>; named by number only, so nothing is guessed from the name a visitor gave.</summary>
    public string FileOf(long id) => Path.Combine(Folder, "run-" + id.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Queues the export uploaded to <paramref name="uploadPath"/>: the file becomes the run's, and the worker is
    /// told. When another run is queued or running, the upload is deleted and that run is returned instead.
    /// </summary>
    public async Task<(long? Id, ImportRun? Active)> QueueAsync(string uploadPath, string fileName, bool dryRun, bool fetchRemoteImages, string startedBy, CancellationToken ct)
    {
        var id = await store.QueueAsync(startedBy, fileName, dryRun, fetchRemoteImages, ct);
        if (id is not { } newId)
        {
            DeleteQuietly(uploadPath);
            return (null, await store.ActiveAsync(ct));
        }
        File.Move(uploadPath, FileOf(newId), overwrite: true);
        _queued.Writer.TryWrite(newId);
        return (newId, null);
    }

    public ChannelReader<long> Queued => _queued.Reader;

    /// <summary>Removes every file in <see cref="Folder"/>: uploads cut short and exports of runs that can no longer run.</summary>
    public void ClearFolder()
    {
        foreach (var file in Directory.EnumerateFiles(Folder))
        {
            DeleteQuietly(file);
        }
    }

    public static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next start-up's ClearFolder; the run's outcome does not depend on it.
        }
    }
}
