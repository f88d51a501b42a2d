using Microsoft.Extensions.Options;

namespace Blog.Web.Hosting;

/// <summary>
/// Where everything the running blog writes lives. Created on first use, so a fresh clone just runs.
/// </summary>
public sealed class DataFolder
{
    public DataFolder(IOptions<BlogOptions> options, IWebHostEnvironment environment)
        : this(Path.GetFullPath(options.Value.DataDirectory, environment.ContentRootPath))
    {
    }

    public DataFolder(string root)
    {
        Root = root;
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string DatabasePath => Path.Combine(Root, "blog.db");

    public string KeysPath => Subfolder("keys");

    public string MailPath => Subfolder("mail");

    public string BackupsPath => Subfolder("backups");

    /// <summary>The pictures' re-encoded files, named by content hash (see Features/Media/MediaAddresses).</summary>
    public string MediaPath => Subfolder("media");

    /// <summary>Held open exclusively by the running blog, so tools that need it stopped (restore) can tell.</summary>
    public string RunningLockPath => Path.Combine(Root, "quire.lock");

    /// <summary>
    /// Opens the lock file with no sharing (an advisory lock the operating system drops when the process ends,
    /// however it ends); null when someone else holds it. The file itself is never deleted: deleting a lock file
    /// while it is held is how two holders happen.
    /// </summary>
    public FileStream? TryTakeRunningLock()
    {
        try
        {
            return new FileStream(RunningLockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private string Subfolder(string name)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(path);
        return path;
    }
}
