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

    private string Subfolder(string name)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(path);
        return path;
    }
}
