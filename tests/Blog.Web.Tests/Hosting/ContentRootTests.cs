using Blog.Web.Hosting;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Hosting;

/// <summary>A published blog started from another folder still finds its wwwroot (see <see cref="ContentRoot"/>).</summary>
public sealed class ContentRootTests : IDisposable
{
    private readonly string _folder = TestDataFolder.Create();

    private string Folder(string name, bool withWwwroot)
    {
        var path = Path.Combine(_folder, name);
        Directory.CreateDirectory(withWwwroot ? Path.Combine(path, "wwwroot") : path);
        return path;
    }

    private static string? NoEnvironment(string name) => null;

    [Fact]
    public void StartedElsewhereThePublishedAppUsesItsOwnFolder()
    {
        var app = Folder("app", withWwwroot: true);
        var home = Folder("home", withWwwroot: false);

        Assert.Equal(app, ContentRoot.Choose([], home, app, NoEnvironment));
    }

    [Fact]
    public void AWorkingDirectoryWithWwwrootIsKept()
    {
        var app = Folder("app", withWwwroot: true);
        var project = Folder("project", withWwwroot: true);

        Assert.Null(ContentRoot.Choose([], project, app, NoEnvironment));
    }

    [Fact]
    public void AnAppFolderWithoutWwwrootChangesNothing()
    {
        Assert.Null(ContentRoot.Choose([], Folder("home", false), Folder("bin", false), NoEnvironment));
    }

    [Theory]
    [InlineData("--contentRoot=/srv/quire", null)]
    [InlineData(null, "ASPNETCORE_CONTENTROOT")]
    [InlineData(null, "DOTNET_CONTENTROOT")]
    public void AContentRootAskedForIsLeftToAspNetCore(string? argument, string? variable)
    {
        var app = Folder("app", withWwwroot: true);
        var home = Folder("home", withWwwroot: false);
        string[] args = argument is null ? [] : [argument];

        Assert.Null(ContentRoot.Choose(args, home, app, name => name == variable ? "/srv/quire" : null));
    }

    public void Dispose() => TestDataFolder.Delete(_folder);
}
