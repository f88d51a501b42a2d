using System.Collections.Concurrent;
using Blog.Web.Data;
using Blog.Web.Mail;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Blog.Web.Tests.Mail;

/// <summary>
/// Senders of several instances on one outbox: each claim is a lease with a token of its own, and a sender settles
/// only what its lease still holds.
/// </summary>
public sealed class MailOutboxLeaseTests
{
    private const string To = "lease@example.test";

    [Fact]
    public async Task TwoSendersWorkingThroughOneOutboxSendEachMessageExactlyOnce()
    {
        using var app = new StoppedOutboxAppFactory();
        var mails = Enumerable.Range(1, 5 * MailOutbox.BatchSize).Select(n => new OutgoingMail(To, $"Message {n}", "Body")).ToList();
        await app.Services.GetRequiredService<MailOutbox>().EnqueueAsync(mails, CancellationToken.None);
        var sent = new ConcurrentBag<string>();

        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            var sender = Sender(app, TimeProvider.System);
            while (await sender.ClaimDueAsync(CancellationToken.None) is { Count: > 0 } batch)
            {
                foreach (var mail in batch)
                {
                    sent.Add(mail.Subject);
                }
                await sender.SettleAsync(batch, [.. batch.Select(mail => new MailSettlement(mail.Id, MailFate.Sent, mail.Attempts + 1))], CancellationToken.None);
            }
        })));

        Assert.Equal(mails.Select(mail => mail.Subject).Order(), sent.Order());
        using var db = app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM mail_outbox"));
    }

    [Fact]
    public async Task AnExpiredLeaseIsTakenOverAndTheSlowSendersSettlementChangesNothing()
    {
        using var app = new StoppedOutboxAppFactory();
        await app.Services.GetRequiredService<MailOutbox>().EnqueueAsync(new OutgoingMail(To, "Slowly", "Body"), CancellationToken.None);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(1));
        var slow = Sender(app, clock);
        var other = Sender(app, clock);

        var slowBatch = await slow.ClaimDueAsync(CancellationToken.None);
        var whileHeld = await other.ClaimDueAsync(CancellationToken.None);
        clock.Advance(slow.ClaimFor + TimeSpan.FromSeconds(1));
        var takenOver = await other.ClaimDueAsync(CancellationToken.None);
        await slow.SettleAsync(slowBatch, [new MailSettlement(slowBatch[0].Id, MailFate.Sent, 1)], CancellationToken.None);
        var afterSlowSettled = Row(app);
        await other.SettleAsync(takenOver, [new MailSettlement(takenOver[0].Id, MailFate.TryAgain, 1, clock.GetUtcNow().UtcDateTime.AddMinutes(5), "busy")], CancellationToken.None);
        var afterOtherSettled = Row(app);

        Assert.Single(slowBatch);
        Assert.Empty(whileHeld);
        Assert.Equal(slowBatch[0].Id, Assert.Single(takenOver).Id);
        Assert.NotEqual(slowBatch[0].ClaimToken, takenOver[0].ClaimToken);
        Assert.NotNull(afterSlowSettled);
        Assert.Equal(0, afterSlowSettled.Attempts);
        Assert.Equal(takenOver[0].ClaimToken, afterSlowSettled.ClaimToken);
        Assert.Equal(1, afterOtherSettled!.Attempts);
        Assert.Null(afterOtherSettled.ClaimToken);
    }

    [Fact]
    public void TheLeaseLengthIsASettingAndANonsensicalOneStopsTheStart()
    {
        using var configured = new StoppedOutboxAppFactory { Settings = { ["Blog:Mail:LeaseSeconds"] = "30" } };
        using var nonsense = new StoppedOutboxAppFactory { Settings = { ["Blog:Mail:LeaseSeconds"] = "0" } };

        var lease = configured.Services.GetRequiredService<MailOutbox>().ClaimFor;
        var failure = Assert.Throws<OptionsValidationException>(() => nonsense.Services);

        Assert.Equal(TimeSpan.FromSeconds(30), lease);
        Assert.Contains("LeaseSeconds", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>A sender with a connection source of its own, as another instance has.</summary>
    private static MailOutbox Sender(BlogAppFactory app, TimeProvider clock) =>
        new(TestDatabase.OwnPool(app.DataDirectory), clock, Options.Create(new MailOptions { LeaseSeconds = 60 }));

    private static LeasedRow? Row(BlogAppFactory app)
    {
        using var db = app.OpenDatabase();
        return db.QuerySingleOrDefault<LeasedRow>("SELECT attempts, claim_token FROM mail_outbox");
    }

    private sealed record LeasedRow
    {
        public long Attempts { get; init; }

        public string? ClaimToken { get; init; }
    }
}
