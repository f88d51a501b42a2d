using System.Net;
using Blog.Web.Data;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Blog.Web.Tests.Data;

/// <summary>
/// When the database cannot take writes, people who try to save get a clear 503 page holding what they typed,
/// while reading goes on as before.
/// </summary>
/// <remarks>
/// How the read-only database is made: tests run as root, and root writes through chmod, so a read-only file
/// proves nothing here. Instead the blog is restarted with every connection opened in SQLite's read-only mode
/// (<see cref="SqliteOpenMode.ReadOnly"/>). Each write then fails inside SQLite with SQLITE_READONLY, the same
/// error a file on a read-only file system gives, and it travels the app's real path to the error page. A full
/// disk (SQLITE_FULL) takes the same path through <see cref="DatabaseFailure"/>, whose classification is tested
/// directly below.
/// </remarks>
// SQLite by nature: Makes the SQLite file read-only under the running blog.
[Trait("Database", "Sqlite")]
public sealed class DatabaseWriteFailureTests : IAsyncLifetime, IDisposable
{
    private readonly string _dataDirectory = TestDataFolder.Create();
    private ReadOnlyDatabaseApp _app = null!;
    private Member _member = null!;
    private Member _owner = null!;
    private long _postId;

    public async Task InitializeAsync()
    {
        await using (var writable = new BlogAppFactory(_dataDirectory))
        {
            _owner = await BlogClient.CreateAccountAsync(writable, MemberRole.Owner);
            _member = await BlogClient.CreateAccountAsync(writable, MemberRole.Member);
            _postId = await CommentTestData.CreatePostAsync(writable, DateTime.UtcNow.AddHours(-1), _owner.Id);
        }
        SqliteConnection.ClearAllPools();
        _app = new ReadOnlyDatabaseApp(_dataDirectory);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _app.Dispose();
        TestDataFolder.Delete(_dataDirectory);
    }

    [Fact]
    public async Task ACommentThatCannotBeSavedGets503WithTheTextKeptAndReadingStillWorks()
    {
        using var member = new BlogClient(_app);
        await member.SignInAsync(_member.Email!);

        using var response = await CommentTestData.CommentAsync(member, _postId, "A thoughtful reply I would hate to lose");
        var text = await BlogClient.TextOfAsync(response);
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());
        using var home = await member.GetAsync("/");
        using var comment = await member.GetAsync($"/comments/{_postId}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("can't save changes right now", text, StringComparison.Ordinal);
        Assert.Contains("Reading still works", text, StringComparison.Ordinal);
        Assert.Equal("A thoughtful reply I would hate to lose", page.QuerySelector("textarea[readonly]")?.TextContent);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("A post called", await BlogClient.TextOfAsync(home), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SettingsThatCannotBeSavedGet503AndThePasswordIsNeverEchoed()
    {
        using var owner = new BlogClient(_app);
        await owner.SignInAsync(_owner.Email!);

        using var settings = await owner.SubmitFormAsync("/admin/settings", new Dictionary<string, string>
        {
            ["Title"] = "A new title for the blog",
            ["Description"] = "",
            ["PostsPerPage"] = "7",
            ["TimeZone"] = "UTC",
            ["DateFormat"] = "d MMMM yyyy",
        });
        using var password = await owner.SubmitFormAsync("/account/password", new Dictionary<string, string>
        {
            ["CurrentPassword"] = BlogClient.Password,
            ["NewPassword"] = "a brand new secret phrase",
            ["ConfirmPassword"] = "a brand new secret phrase",
        });
        var passwordPage = await password.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, settings.StatusCode);
        Assert.Contains("A new title for the blog", await settings.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, password.StatusCode);
        Assert.DoesNotContain("a brand new secret phrase", passwordPage, StringComparison.Ordinal);
        Assert.DoesNotContain(BlogClient.Password, passwordPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthCheckReportsDegradedWhileTheDatabaseIsReadOnly()
    {
        using var client = new BlogClient(_app);

        using var health = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Degraded", await health.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(8, DatabaseFailure.Kind.CannotSave)]
    [InlineData(13, DatabaseFailure.Kind.CannotSave)]
    [InlineData(10 | (3 << 8), DatabaseFailure.Kind.CannotSave)]
    [InlineData(14, DatabaseFailure.Kind.CannotSave)]
    [InlineData(5, DatabaseFailure.Kind.Busy)]
    [InlineData(19, DatabaseFailure.Kind.None)]
    public void DatabaseFailuresAreClassifiedByTheirPrimaryCode(int code, DatabaseFailure.Kind expected)
    {
        var wrapped = new InvalidOperationException("outer", new SqliteException("inner", code));

        Assert.Equal(expected, DatabaseFailure.Classify(wrapped));
    }

    [Fact]
    public void AFullDiskIsReportedAsSqliteFull()
    {
        var path = Path.Combine(_dataDirectory, "tiny.db");
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        connection.Execute("CREATE TABLE t (x TEXT); PRAGMA max_page_count = 3;");

        var failure = Assert.Throws<SqliteException>(() => connection.Execute("INSERT INTO t SELECT printf('%.5000c', 'x') FROM (SELECT 1 UNION ALL SELECT 2)"));

        Assert.Equal(DatabaseFailure.Kind.CannotSave, DatabaseFailure.Classify(failure));
    }

    /// <summary>The blog on an existing data folder, with every database connection opened read-only.</summary>
    private sealed class ReadOnlyDatabaseApp(string dataDirectory) : BlogAppFactory(dataDirectory)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<BlogDatabase>(
                new SqliteDatabase(DatabasePath, SqliteOpenMode.ReadOnly))));
        }
    }
}
