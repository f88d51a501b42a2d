using System.Net;
using Blog.Web.Data;
using Blog.Web.Features.Archive;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Data;

/// <summary>
/// Writers wait for each other (this process's in turn, another's within busy_timeout) instead of failing; a read
/// waits for no writer.
/// </summary>
// SQLite by nature: SQLite's single writer and its busy timeout; PostgreSQL writers lock rows instead.
[Trait("Database", "Sqlite")]
public sealed class BusyDatabaseTests(CommentAppFactory app) : IClassFixture<CommentAppFactory>
{
    [Fact]
    public async Task ACommentPostedWhileAnotherWriterHoldsTheLockIsSavedOnceItIsReleased()
    {
        var postId = await CommentTestData.CreatePostAsync(app);
        var (member, _) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var __ = member;
        using var other = app.OpenDatabase();
        other.Execute("BEGIN IMMEDIATE; UPDATE site_settings SET value = value WHERE 0;");

        var posting = CommentTestData.CommentAsync(member, postId, "Patience is a virtue");
        await Task.Delay(1500);
        var finishedWhileLocked = posting.IsCompleted;
        other.Execute("COMMIT;");
        using var response = await posting;

        Assert.False(finishedWhileLocked, "The comment was answered while another writer held the lock.");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(1, CommentTestData.Scalar<long>(app, "SELECT COUNT(*) FROM comments WHERE body_markdown = 'Patience is a virtue'"));
    }

    /// <summary>
    /// busy_timeout does not help a transaction that read first and then wants to write (SQLITE_BUSY on the upgrade
    /// is returned at once), so the app's transactions must take the write lock when they begin.
    /// </summary>
    [Fact]
    public async Task TheAppsTransactionsTakeTheWriteLockWhenTheyBegin()
    {
        _ = app.Services;
        var db = app.Services.GetRequiredService<SqliteDatabase>();
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        using var other = app.OpenDatabase();
        other.Execute("PRAGMA busy_timeout = 0;");
        using var begin = other.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        begin.CommandTimeout = 1;

        var refused = Assert.Throws<SqliteException>(() => begin.ExecuteNonQuery());

        Assert.Equal(5, refused.SqliteErrorCode);
    }

    /// <summary>
    /// This process's writers take turns before SQLite sees them, so none sleeps in SQLite's busy handler while the
    /// lock is free: the second write transaction begins only once the first has ended, and waiting holds no thread.
    /// </summary>
    [Fact]
    public async Task WritersOfThisProcessWaitForTheirTurnBeforeReachingTheDatabase()
    {
        _ = app.Services;
        var db = app.Services.GetRequiredService<SqliteDatabase>();
        // Disposed again at the end (a no-op then) so that a failing assertion cannot leave the database locked.
        await using var first = await db.BeginWriteAsync();

        // Started and left waiting: were it inside SQLite, this call would block here for busy_timeout and then fail.
        var second = db.BeginWriteAsync();
        await Task.Delay(300);
        var beganWhileFirstWasOpen = second.IsCompleted;
        await first.Connection.ExecuteAsync("UPDATE site_settings SET value = value WHERE 0;", transaction: first.Transaction);
        await first.CommitAsync(CancellationToken.None);
        await first.DisposeAsync();
        await using var secondWrite = await second.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(beganWhileFirstWasOpen, "The second write began while the first was still open.");
        Assert.Equal(0, await secondWrite.Connection.ExecuteAsync("UPDATE site_settings SET value = value WHERE 0;", transaction: secondWrite.Transaction));
    }

    /// <summary>
    /// Counting the sidebar only reads, so it must not wait for writers (nor make them wait: on a blog of 100,000
    /// posts the count takes about 80 ms, long enough to hold up every comment posted meanwhile).
    /// </summary>
    [Fact]
    public async Task TheSidebarIsCountedWhileAWriterHoldsTheLock()
    {
        _ = app.Services;
        // A new instance has nothing computed yet, so it reads the database rather than answering from memory.
        using var sidebar = new SidebarCounts(app.Services.GetRequiredService<SqliteDatabase>(), TimeProvider.System);
        using var other = app.OpenDatabase();
        other.Execute("BEGIN IMMEDIATE; UPDATE site_settings SET value = value WHERE 0;");
        try
        {
            // Had the count begun a write transaction, this would wait busy_timeout and then fail "database is locked".
            var snapshot = await sidebar.GetAsync("UTC", CancellationToken.None);

            Assert.Equal(other.ExecuteScalar<long>("SELECT version FROM post_counts_version WHERE id = 1"), snapshot.Version);
        }
        finally
        {
            other.Execute("COMMIT;");
        }
    }

    [Fact]
    public async Task AWriteThatCannotBeginHandsItsTurnOn()
    {
        var unreachable = new SqliteDatabase(Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid().ToString("N"), "blog.db"));

        await Assert.ThrowsAsync<SqliteException>(() => unreachable.BeginWriteAsync());

        // Had the failed write kept its turn, this one would wait for ever instead of failing the same way.
        await Assert.ThrowsAsync<SqliteException>(() => unreachable.BeginWriteAsync().WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
