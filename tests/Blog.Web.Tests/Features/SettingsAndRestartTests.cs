using Blog.Web.Features.Settings;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features;

public sealed class SettingsAndRestartTests : IDisposable
{
    private readonly string _dataFolder = TestDataFolder.Create();

    public void Dispose() => TestDataFolder.Delete(_dataFolder);

    [Fact]
    public async Task RootAppSettingsProvideTheDefaultsAndConfigurationOverridesThem()
    {
        await using var defaults = new BlogAppFactory(_dataFolder);
        await using var overridden = new BlogAppFactory(TestDataFolder.Create(), ownsDataFolder: true)
        {
            Settings = { ["Blog:Defaults:Title"] = "Overridden title" },
        };

        var fromFile = await defaults.Services.GetRequiredService<SiteSettingsStore>().GetAsync();
        var fromOverride = await overridden.Services.GetRequiredService<SiteSettingsStore>().GetAsync();

        Assert.Equal("My Quire blog", fromFile.Title);
        Assert.Equal(10, fromFile.PostsPerPage);
        Assert.Equal("Overridden title", fromOverride.Title);
    }

    [Fact]
    public async Task SavedSettingsShowOnPagesAndSurviveARestart()
    {
        await using (var first = new BlogAppFactory(_dataFolder))
        {
            var store = first.Services.GetRequiredService<SiteSettingsStore>();
            var current = await store.GetAsync();
            await store.SaveAsync(current with { Title = "Notes from the Garden", Description = "Seeds & <weeds>" });

            using var client = first.CreateClient();
            var html = await client.GetStringAsync("/");
            Assert.Contains("Notes from the Garden", html, StringComparison.Ordinal);
            Assert.Contains("Seeds &amp; &lt;weeds&gt;", html, StringComparison.Ordinal);
        }

        await using var restarted = new BlogAppFactory(_dataFolder);
        using var restartedClient = restarted.CreateClient();
        var afterRestart = await restartedClient.GetStringAsync("/");

        Assert.Contains("<title>Notes from the Garden</title>", afterRestart, StringComparison.Ordinal);
        // On PostgreSQL the data lives on the server, so no database file may appear in the folder.
        Assert.Equal(!TestDatabase.IsPostgreSql, File.Exists(Path.Combine(_dataFolder, "blog.db")));
        // The sign-in keys stay too: in the folder, or on PostgreSQL in the database every instance reads.
        if (TestDatabase.IsPostgreSql)
        {
            using var database = restarted.OpenDatabase();
            Assert.NotEqual(0L, database.ExecuteScalar<long>("SELECT COUNT(*) FROM data_protection_keys"));
        }
        else
        {
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(_dataFolder, "keys"), "*.xml"));
        }
    }
}
