using System.Collections.Concurrent;
using Blog.Web.Data;
using Blog.Web.Mail;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// The SQL statements (with their bound values) the app runs while an action runs, through
/// <see cref="SqliteDatabase.StatementListener"/>: what a page costs the database, or that it cost nothing.
/// </summary>
public static class StatementRecorder
{
    public static async Task<List<string>> RecordAsync(BlogAppFactory app, Func<Task> act)
    {
        var database = app.Services.GetRequiredService<SqliteDatabase>();
        // The mail sender works in the background on its own schedule: what it asks of the database while the action
        // runs is not the action's cost, so the mail an earlier step queued goes out first.
        Assert.True(await app.Services.GetRequiredService<MailOutbox>().WaitUntilSentAsync(Eventually.DefaultPatience), "Queued mail was not sent in time.");
        var seen = new ConcurrentQueue<string>();
        database.StatementListener = seen.Enqueue;
        try
        {
            await act();
        }
        finally
        {
            database.StatementListener = null;
        }
        return [.. seen];
    }
}
