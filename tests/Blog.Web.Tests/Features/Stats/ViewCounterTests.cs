using System.Net;
using Blog.Web.Features.Stats;
using Blog.Web.Tests.Content;
using CsCheck;

namespace Blog.Web.Tests.Features.Stats;

/// <summary>The in-memory counts between two writes, and the rules that decide what of a request is kept.</summary>
public sealed class ViewCounterTests
{
    [Fact]
    public async Task AFloodOfDistinctKeysIsCappedAndTheRestIsCountedAsDropped()
    {
        var counter = new ViewCounter(TimeProvider.System);
        var extra = 5_000;

        counter.CountSearch("first", referer: null);
        Parallel.For(1, ViewCounter.MaxKeysPerWindow + extra, i => counter.CountSearch("term " + i, referer: null));
        counter.CountSearch("first", referer: null);
        var window = await counter.TakeAsync(CancellationToken.None);

        Assert.Equal(ViewCounter.MaxKeysPerWindow, window.Searches.Count);
        Assert.Equal(extra, window.Dropped);
        Assert.Equal(2, window.Searches[new TextDay(window.Searches.Keys.First().Day, "first")].Count);
        Assert.True((await counter.TakeAsync(CancellationToken.None)).IsEmpty);
    }

    [Fact]
    public async Task CountsMadeWhileAWindowIsTakenLandInOneWindowOrTheNext()
    {
        var counter = new ViewCounter(TimeProvider.System);
        var taken = new List<StatsWindow>();

        var counting = Task.Run(() => Parallel.For(0, 200_000, _ => counter.CountView("post", "a-post", IPAddress.Loopback, "Mozilla/5.0", null)));
        while (!counting.IsCompleted)
        {
            taken.Add(await counter.TakeAsync(CancellationToken.None));
        }
        await counting;
        taken.Add(await counter.TakeAsync(CancellationToken.None));

        Assert.Equal(200_000, taken.Sum(window => window.Views.Values.Sum(tally => tally.Count)));
    }

    [Fact]
    public void TheVisitorHashDependsOnSaltAddressAndBrowserOnly()
    {
        byte[] salt = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
        byte[] otherSalt = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
        var address = IPAddress.Parse("203.0.113.7");

        var hash = ViewCounter.VisitorHash(salt, address, "Mozilla/5.0");

        Assert.Equal(hash, ViewCounter.VisitorHash(salt, IPAddress.Parse("203.0.113.7"), "Mozilla/5.0"));
        Assert.NotEqual(hash, ViewCounter.VisitorHash(otherSalt, address, "Mozilla/5.0"));
        Assert.NotEqual(hash, ViewCounter.VisitorHash(salt, IPAddress.Parse("203.0.113.8"), "Mozilla/5.0"));
        Assert.NotEqual(hash, ViewCounter.VisitorHash(salt, address, "Mozilla/5.1"));
        Assert.NotEqual(hash, ViewCounter.VisitorHash(salt, IPAddress.Parse("2001:db8::7"), "Mozilla/5.0"));
        Assert.Equal(ViewCounter.VisitorHash(salt, null, new string('x', 100_000)), ViewCounter.VisitorHash(salt, null, new string('x', ViewRules.MaxUserAgentLength)));
    }

    [Fact]
    public void AnySearchTextBecomesAShortCleanTermOrNothing()
    {
        HostileTextGen.Text(400).Sample(text =>
        {
            var term = ViewRules.SearchTerm(text);

            if (term is null)
            {
                return;
            }
            Assert.InRange(term.Length, 1, ViewRules.MaxSearchTermLength);
            Assert.Equal(term.Trim(), term);
            Assert.DoesNotContain("  ", term, StringComparison.Ordinal);
            Assert.DoesNotContain(term, char.IsControl);
            Assert.Equal(term, term.ToLowerInvariant());
            Assert.False(char.IsHighSurrogate(term[^1]));
        }, iter: 5_000);
    }

    [Fact]
    public void AnyRefererIsADomainOrNothingAndNeverThrows()
    {
        HostileTextGen.Text(300).Sample(text =>
        {
            foreach (var referer in new[] { text, "https://" + text, "http://" + text + "/path" })
            {
                var domain = ViewRules.ReferringDomain(referer, "blog.example");

                Assert.True(domain is null || (domain.Length > 0 && domain.Length <= 253 && !domain.Any(char.IsUpper) && !domain.StartsWith("www.", StringComparison.Ordinal)), domain);
            }
        }, iter: 3_000);
    }

    [Theory]
    [InlineData("https://www.Example.COM:8080/a?b=c", "example.com")]
    [InlineData("http://news.example.org/", "news.example.org")]
    [InlineData("https://blog.example/older", null)]
    [InlineData("https://www.blog.example/", null)]
    [InlineData("ftp://files.example/", null)]
    [InlineData("/relative", null)]
    [InlineData("https://b\u00fccher.example/", "xn--bcher-kva.example")]
    public void ReferersBecomeTheirSitesDomain(string referer, string? expected) =>
        Assert.Equal(expected, ViewRules.ReferringDomain(referer, "blog.example"));
}
