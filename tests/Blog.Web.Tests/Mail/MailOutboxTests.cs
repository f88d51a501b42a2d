using Blog.Web.Data;
using Blog.Web.Identity;
using Blog.Web.Mail;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Blog.Web.Tests.Mail;

/// <summary>The blog with its mail worker not running, as between a crash and the next start: mail is queued and stays so.</summary>
public sealed class StoppedOutboxAppFactory : BlogAppFactory
{
    public StoppedOutboxAppFactory()
    {
    }

    internal StoppedOutboxAppFactory(string dataDirectory)
        : base(dataDirectory)
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.Remove(services.Single(d => d.ImplementationType == typeof(MailOutboxWorker))));
    }
}

/// <summary>Mail waits in the database until it has gone out: through restarts, failures and a mail folder or server that is down.</summary>
public sealed class MailOutboxTests
{
    private const string To = "reader@example.test";

    [Fact]
    public async Task MailQueuedBeforeARestartIsSentAfterIt()
    {
        var folder = TestDataFolder.Create();
        try
        {
            await using (var stopped = new StoppedOutboxAppFactory(folder))
            {
                await stopped.Services.GetRequiredService<MailOutbox>().EnqueueAsync(new OutgoingMail(To, "Survives a restart", "Still here."), CancellationToken.None);
                Assert.Single(Rows(stopped));
            }
            SqliteConnection.ClearAllPools();

            await using var restarted = new BlogAppFactory(folder);
            var message = Assert.Single(Mailbox.MessagesTo(restarted, To));

            Assert.Equal("Survives a restart", message.Subject);
            Assert.Contains("Still here.", message.TextBody, StringComparison.Ordinal);
            Assert.Empty(Rows(restarted));
        }
        finally
        {
            TestDataFolder.Delete(folder);
        }
    }

    [Fact]
    public async Task AFailedSendIsTriedAgainWhenItsDelayHasPassedAndThenSent()
    {
        using var app = new ClockedBlogAppFactory();
        var outbox = app.Services.GetRequiredService<MailOutbox>();
        var queuedAt = app.Clock.GetUtcNow().UtcDateTime;
        BlockMailFolder(app);

        await outbox.EnqueueAsync(new OutgoingMail(To, "Tried again", "Second time lucky."), CancellationToken.None);
        Assert.True(await outbox.WaitUntilSentAsync(Eventually.DefaultPatience));
        var failed = Assert.Single(Rows(app));
        UnblockMailFolder(app);
        app.Clock.Advance(MailRetry.FirstDelay * (1 - MailRetry.Jitter) - TimeSpan.FromSeconds(1));
        var tooEarly = Mailbox.MessagesTo(app, To);
        app.Clock.Advance(MailRetry.FirstDelay * (2 * MailRetry.Jitter) + TimeSpan.FromSeconds(2));
        var sent = Mailbox.MessagesTo(app, To);

        Assert.Equal(1, failed.Attempts);
        Assert.False(string.IsNullOrEmpty(failed.LastError));
        Assert.InRange(failed.NextAttemptAt, queuedAt + MailRetry.FirstDelay * 0.8, queuedAt + MailRetry.FirstDelay * 1.2);
        Assert.Empty(tooEarly);
        Assert.Equal("Tried again", Assert.Single(sent).Subject);
        Assert.Empty(Rows(app));
    }

    [Fact]
    public async Task AMessageThatKeepsFailingIsGivenUpOnAfterTheLastAttemptAndDeletedAMonthLater()
    {
        var logs = new CapturedLogs();
        using var app = new ClockedBlogAppFactory { ConfigureLogging = logging => logging.AddProvider(logs) };
        var outbox = app.Services.GetRequiredService<MailOutbox>();
        BlockMailFolder(app);

        await outbox.EnqueueAsync(new OutgoingMail(To, "Never arrives", "Body"), CancellationToken.None);
        var attemptsSeen = new List<int>();
        for (var attempt = 1; attempt <= MailRetry.MaxAttempts; attempt++)
        {
            Assert.True(await outbox.WaitUntilSentAsync(Eventually.DefaultPatience));
            attemptsSeen.Add(Assert.Single(Rows(app)).Attempts);
            app.Clock.Advance(MailRetry.LongestDelay * (1 + MailRetry.Jitter));
        }
        UnblockMailFolder(app);
        var afterTheLast = Mailbox.MessagesTo(app, To);
        var givenUp = Assert.Single(Rows(app));
        app.Clock.Advance(MailOutboxWorker.KeepGivenUpFor + TimeSpan.FromDays(1));
        var deleted = await Eventually.TrueAsync(() => Rows(app).Count == 0);

        Assert.Equal(Enumerable.Range(1, MailRetry.MaxAttempts), attemptsSeen);
        Assert.Empty(afterTheLast);
        Assert.Equal(MailRetry.MaxAttempts, givenUp.Attempts);
        Assert.NotNull(givenUp.GivenUpAt);
        Assert.False(string.IsNullOrEmpty(givenUp.LastError));
        Assert.Contains(logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal)
            && line.Contains($"Gave up sending \"Never arrives\" after {MailRetry.MaxAttempts} attempt(s)", StringComparison.Ordinal));
        Assert.Equal(MailRetry.MaxAttempts - 1, logs.Lines.Count(line => line.StartsWith("Warning", StringComparison.Ordinal)
            && line.Contains("Could not send \"Never arrives\"", StringComparison.Ordinal)));
        Assert.True(deleted, "The message given up on was still in the outbox a month later.");
    }

    /// <summary>
    /// The cause of a wake-up once lost under load: the clock moved on while the sender was between looking at the
    /// outbox and starting its timer, and a timer started then counted its minute from the new time, which a test
    /// clock never passes. The sender now waits until a moment counted from its look, and not at all once it is past.
    /// </summary>
    [Fact]
    public async Task TheSendersWaitEndsAtOnceWhenTheClockPassedItsWakeUpTimeBeforeTheWaitBegan()
    {
        using var app = new ClockedBlogAppFactory();
        var outbox = app.Services.GetRequiredService<MailOutbox>();
        var wakeAt = app.Clock.GetUtcNow() + MailOutboxWorker.LookAtLeastEvery;

        app.Clock.Advance(MailOutboxWorker.KeepGivenUpFor);
        var wait = outbox.WaitForNewMailAsync(wakeAt, CancellationToken.None);

        Assert.True(wait.IsCompleted, "The wait would last until the test clock moved again, which it never does.");
        await wait;
    }

    [Theory]
    [InlineData(1, 0.5, 60)]
    [InlineData(2, 0.5, 120)]
    [InlineData(7, 0.5, 3840)]
    [InlineData(8, 0.5, 7200)]
    [InlineData(19, 0.5, 7200)]
    [InlineData(1, 0.0, 48)]
    [InlineData(1, 1.0, 72)]
    [InlineData(19, 1.0, 8640)]
    public void TheWaitDoublesAfterEachFailureUpToTwoHoursMovedAtRandomByAFifth(int failedAttempts, double random, double seconds) =>
        Assert.Equal(seconds, MailRetry.DelayAfter(failedAttempts, random).TotalSeconds, precision: 6);

    [Fact]
    public async Task AnAddressMailCannotGoToIsGivenUpOnAtTheFirstAttempt()
    {
        using var app = new BlogAppFactory();
        var outbox = app.Services.GetRequiredService<MailOutbox>();

        await outbox.EnqueueAsync(new OutgoingMail("a.@example.test", "Nowhere to go", "Body"), CancellationToken.None);
        Assert.True(await outbox.WaitUntilSentAsync(Eventually.DefaultPatience));
        var row = Assert.Single(Rows(app));

        Assert.Equal(1, row.Attempts);
        Assert.NotNull(row.GivenUpAt);
        Assert.Contains("address", row.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMessageThatBreaksTheSenderCountsAsAFailedAttemptAndTheMailBehindItStillGoes()
    {
        using var app = new BlogAppFactory();
        var outbox = app.Services.GetRequiredService<MailOutbox>();
        using (var db = app.OpenDatabase())
        {
            db.Execute("""
                INSERT INTO mail_outbox (recipient, subject, body, headers, queued_at, next_attempt_at)
                VALUES ('broken@example.test', 'Broken', 'Body', 'not JSON', '2020-01-01 00:00:00.0000000', '2020-01-01 00:00:00.0000000')
                """);
        }

        await outbox.EnqueueAsync(new OutgoingMail(To, "Behind the broken one", "Body"), CancellationToken.None);
        var sent = Mailbox.MessagesTo(app, To);
        var broken = Assert.Single(Rows(app));

        Assert.Equal("Behind the broken one", Assert.Single(sent).Subject);
        Assert.Equal(1, broken.Attempts);
        Assert.Null(broken.GivenUpAt);
        Assert.False(string.IsNullOrEmpty(broken.LastError));
    }

    [Fact]
    public async Task TwoSendersOnOneDatabaseNeverClaimTheSameMessage()
    {
        using var app = new StoppedOutboxAppFactory();
        const int batches = 20;
        var mails = Enumerable.Range(1, batches * MailOutbox.BatchSize).Select(n => new OutgoingMail(To, $"Message {n}", "Body")).ToList();
        await app.Services.GetRequiredService<MailOutbox>().EnqueueAsync(mails, CancellationToken.None);
        // Each with its own connection factory, as two processes have: they do not take turns in memory.
        var databases = Enumerable.Range(0, 2).Select(_ => TestDatabase.OwnPool(app.DataDirectory)).ToList();
        var senders = databases.Select(database => new MailOutbox(database, TimeProvider.System, Options.Create(new MailOptions()))).ToList();

        var claims = await Task.WhenAll(senders.Select(sender => Task.Run(async () =>
        {
            var claimed = new List<long>();
            // Bounded, so that a claim that took claimed rows again would show as too many, not as a test that never ends.
            for (var round = 0; round <= batches && await sender.ClaimDueAsync(CancellationToken.None) is { Count: > 0 } batch; round++)
            {
                claimed.AddRange(batch.Select(mail => mail.Id));
            }
            return claimed;
        })));
        var all = claims.SelectMany(ids => ids).ToList();

        Assert.Equal(mails.Count, all.Count);
        Assert.Equal(mails.Count, all.Distinct().Count());
        databases.ForEach(database => (database as IDisposable)?.Dispose());
    }

    // SQLite by nature: records statements with SQLite's trace hook.
    [Trait("Database", "Sqlite")]
    [Fact]
    public async Task ACommentAndTheMailItCausesAreSavedInOneWriteTransaction()
    {
        using var app = new StoppedOutboxAppFactory();
        var owner = await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        var (member, _) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var __ = member;
        var postId = await CommentTestData.CreatePostAsync(app, DateTime.UtcNow.AddHours(-1), owner.Id);
        var statements = new List<string>();
        var db = app.Services.GetRequiredService<SqliteDatabase>();

        db.StatementListener = sql =>
        {
            lock (statements)
            {
                statements.Add(sql);
            }
        };
        try
        {
            await CommentTestData.CommentIdAsync(member, postId, "Tell the owner.");
        }
        finally
        {
            db.StatementListener = null;
        }
        var queued = Assert.Single(Rows(app));

        // Write transactions begin IMMEDIATE (a plain BEGIN is a read, e.g. the sidebar's counts).
        Assert.Single(statements, sql => sql.StartsWith("BEGIN IMMEDIATE", StringComparison.Ordinal));
        Assert.Single(statements, sql => sql.Contains("INSERT INTO mail_outbox", StringComparison.Ordinal));
        Assert.Equal(owner.Email, queued.Recipient);
    }

    /// <summary>A file where the mail folder should be: writing a message fails, as on a full or broken disk.</summary>
    private static void BlockMailFolder(BlogAppFactory app)
    {
        var folder = Path.Combine(app.DataDirectory, "mail");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        File.WriteAllText(folder, "not a folder");
    }

    private static void UnblockMailFolder(BlogAppFactory app) => File.Delete(Path.Combine(app.DataDirectory, "mail"));

    internal static List<OutboxRow> Rows(BlogAppFactory app)
    {
        using var db = app.OpenDatabase();
        return db.Query<OutboxRow>("SELECT id, recipient, attempts, next_attempt_at, last_error, given_up_at FROM mail_outbox ORDER BY id").ToList();
    }

    internal sealed record OutboxRow
    {
        public long Id { get; init; }

        public required string Recipient { get; init; }

        public int Attempts { get; init; }

        public DateTime NextAttemptAt { get; init; }

        public string? LastError { get; init; }

        public DateTime? GivenUpAt { get; init; }
    }
}
