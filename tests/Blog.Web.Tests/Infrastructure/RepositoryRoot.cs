namespace Blog.Web.Tests.Infrastructure;

/// <summary>Finds the checkout's root (the folder holding Blog.sln) from the test binaries.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>The shared fixtures folder beside the repository, when it exists (it does not in a user's clone).</summary>
    public static string? FixturesPath
    {
        get
        {
            var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, "..", "shared", "fixtures"));
            return Directory.Exists(path) ? path : null;
        }
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Blog.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Could not find Blog.sln above " + AppContext.BaseDirectory);
    }
}
