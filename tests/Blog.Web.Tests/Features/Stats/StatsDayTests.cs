using Blog.Web.Features.Stats;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Stats;

/// <summary>The day's salt and visitor hashes live one day: when the blog's day turns, both are gone.</summary>
public sealed class StatsDayTests(ClockedBlogAppFactory app) : IClassFixture<ClockedBlogAppFactory>
{
    [Fact]
    public async Task WhenTheDayTurnsItsSaltAndVisitorHashesAreDeletedAndTheCountsStay()
    {
        var (postId, _) = PostSeeder.Insert(app, new SeedPost { Title = "Read across midnight" });
        var path = CommentTestData.PostPath(app, postId);
        var writer = app.Services.GetRequiredService<StatsWriter>();
        app.Clock.SetUtcNow(new DateTimeOffset(app.Clock.GetUtcNow().UtcDateTime.Date.AddHours(23).AddMinutes(59), TimeSpan.Zero));
        await writer.WriteAsync(CancellationToken.None);
        var firstDay = Day();

        await ReadAsync(path);
        await writer.WriteAsync(CancellationToken.None);
        var firstSalt = Salts();
        var hashesBefore = VisitorDays();
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await writer.WriteAsync(CancellationToken.None);
        await ReadAsync(path);
        await writer.WriteAsync(CancellationToken.None);

        Assert.Equal([firstDay], hashesBefore);
        Assert.Single(firstSalt);
        var secondDay = Day();
        Assert.NotEqual(firstDay, secondDay);
        var salts = Salts();
        Assert.Equal([secondDay], salts.Select(salt => salt.Day));
        Assert.NotEqual(firstSalt[0].Salt, salts[0].Salt);
        Assert.Equal([secondDay], VisitorDays());
        using var connection = app.OpenDatabase();
        var days = connection.Query<(string Day, long Views, long Visitors)>(
            "SELECT day, views, visitors FROM stats_post_days WHERE post_id = @Id ORDER BY day", new { Id = postId }).ToList();
        Assert.Equal([(firstDay, 1L, 1L), (secondDay, 1L, 1L)], days);
    }

    private string Day() => app.Services.GetRequiredService<ViewCounter>().Day!.Day;

    private async Task ReadAsync(string path)
    {
        using var client = new BlogClient(app);
        client.Http.DefaultRequestHeaders.UserAgent.ParseAdd(ViewCountingTests.Browser);
        using var response = await client.GetAsync(path);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    private List<(string Day, byte[] Salt)> Salts()
    {
        using var connection = app.OpenDatabase();
        return [.. connection.Query<(string, byte[])>("SELECT day, salt FROM stats_salts ORDER BY day")];
    }

    private List<string> VisitorDays()
    {
        using var connection = app.OpenDatabase();
        return [.. connection.Query<string>("SELECT DISTINCT day FROM stats_visitors ORDER BY day")];
    }
}
