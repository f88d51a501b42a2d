using System.Net;
using Blog.Web.Data;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Data;

/// <summary>Writers wait for each other within busy_timeout instead of failing.</summary>
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
        var db = app.Services.GetRequiredService<SqliteConnectionFactory>();
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
}
