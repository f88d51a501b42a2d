using System.Net;
using System.Text;
using Blog.Web.Features.Search;
using Blog.Web.Tests.Content;
using Blog.Web.Tests.Infrastructure;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Search;

/// <summary>
/// Whatever a reader types into the search box becomes a query SQLite's FTS5 accepts: the built query is run,
/// through the app's own search SQL, against a migrated database with posts in its index.
/// </summary>
public sealed class FtsQueryPropertyTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    [Fact]
    public async Task BuiltQueriesNeverMakeAnFts5Error()
    {
        SeedPosts();
        var queries = app.Services.GetRequiredService<SearchQueries>();

        await HostileTextGen.Text(24).SampleAsync(async input =>
        {
            var query = FtsQuery.Build(input);

            if (query is null)
            {
                Assert.Empty(FtsQuery.Terms(input));
                return;
            }
            Assert.InRange(FtsQuery.Terms(input).Count, 1, FtsQuery.MaxTerms);
            await queries.SearchAsync(FtsQuery.Terms(input), DateTime.UtcNow, 0, 10, CancellationToken.None);
        }, iter: 2_000);
    }

    [Fact]
    public async Task TheSearchPageAnswersAnyQueryWithoutScript()
    {
        SeedPosts();
        using var client = new BlogClient(app);

        await HostileTextGen.Text(24).SampleAsync(async input =>
        {
            using var response = await client.GetAsync("/search?q=" + Encode(input));

            // NUL and other control characters in a query are refused with a 400 by the app's model binding.
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"Answered {(int)response.StatusCode}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var problems = MarkupSafety.PageProblems(await response.Content.ReadAsStringAsync());
                Assert.True(problems.Count == 0, string.Join("\n", problems));
            }
        }, iter: 300, threads: 1);
    }

    /// <summary>Percent-encodes the UTF-8 bytes, as a browser would (a lone surrogate becomes U+FFFD).</summary>
    private static string Encode(string text) => string.Concat(Encoding.UTF8.GetBytes(text).Select(b => "%" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A few indexed posts (each test adds its own; the extra copies do no harm), so snippet() and bm25() run on real rows.</summary>
    private void SeedPosts()
    {
        PostSeeder.Insert(app, new SeedPost { Title = "Crème brûlée near the script", BodyHtml = "<p>alert onerror javascript AND OR NOT NEAR 日本語 e\u0301 ß abc</p>", Labels = ["notes"] });
        PostSeeder.Insert(app, new SeedPost { Title = "Words and \"quotes\" * ^ :", Subtitle = "title: body_text:", BodyHtml = "<p>a b c x y z 0 1 2 script img svg</p>" });
    }
}
