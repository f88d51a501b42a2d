using Microsoft.Data.Sqlite;

namespace Blog.Web.Tests.Infrastructure;

public static class TestDataFolder
{
    public static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), "quire-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        // Pooled connections keep the database file open; release them before deleting it.
        SqliteConnection.ClearAllPools();
        TestDatabase.Drop(path);
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still held by a lingering handle only wastes temp space; it must not fail a test.
        }
    }
}
