using Blog.Web.Data;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Data;

public sealed class StartupMigrationTests
{
    [Fact]
    public async Task StartupStopsWithTheFileNameWhenAMigrationFails()
    {
        var broken = new Migration(1, "0001_break_everything.sql", "CREATE TABLE oops (;");
        await using var app = new BlogAppFactory { Migrations = [broken] };

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("0001_break_everything.sql", failure.ToString(), StringComparison.Ordinal);
    }
}
