using System.Net;
using Blog.Web.Features.Search;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Reading;

public sealed class SearchTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    public static TheoryData<string> NastyInputs() =>
    [
        "\"", "\"\"", "\"unclosed phrase", "*", "term*", "NEAR(", "NEAR(a b, 2)", "AND OR NOT", "NOT", "-", "-minus",
        ":", "title:secret", "^start", "(a OR b", "a) AND (", "{title body}: x", "'; DROP TABLE posts; --", "\\",
        "ünïcödé naïve café", "日本語のテキスト", "emoji 🎉🚀", "\u0301\u0301", "\uE000marker\uE001", "%00", "a\u0000b",
        "<script>alert(1)</script>", new string('x', 5000), string.Join(' ', Enumerable.Repeat("word", 2500)), "   ", "",
    ];

    [Theory]
    [MemberData(nameof(NastyInputs))]
    public async Task AnyInputGivesResultsOrAClearNoResultsNeverAnError(string input)
    {
        PostSeeder.Insert(app, new SeedPost { Title = "Some text post", BodyHtml = "<p>word naive cafe text</p>" });
        using var client = new BlogClient(app);

        using var response = await client.GetAsync("/search?q=" + Uri.EscapeDataString(input));
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(
            page.QuerySelector(".search-results") is not null || page.QuerySelector(".search-empty") is not null || string.IsNullOrWhiteSpace(input),
            "The page should show results or say there are none.");
    }

    [Fact]
    public async Task FindsVisiblePostsByTitleSubtitleBodyAndLabelButNotDrafts()
    {
        PostSeeder.Insert(app, new SeedPost { Title = "Volcano diary", Subtitle = "Smouldering notes", BodyHtml = "<p>Lava flowed past the basecamp.</p>", Labels = ["Geology"] });
        PostSeeder.Insert(app, new SeedPost { Title = "Unfinished volcano", Status = "draft", PublishedAt = null, BodyHtml = "<p>basecamp draft</p>" });
        PostSeeder.Insert(app, new SeedPost { Title = "Future volcano", PublishedAt = DateTime.UtcNow.AddDays(1), BodyHtml = "<p>basecamp future</p>" });
        using var client = new BlogClient(app);

        foreach (var query in new[] { "volcano", "smouldering", "BASECAMP", "geology", "lava basecamp", "\"lava\" AND NEAR(" })
        {
            var page = await client.GetPageAsync("/search?q=" + Uri.EscapeDataString(query));

            Assert.Equal(["Volcano diary"], page.QuerySelectorAll(".search-result h3").Select(h => h.TextContent));
        }
    }

    [Fact]
    public async Task NoMatchSaysSoAndKeepsWhatWasTyped()
    {
        using var client = new BlogClient(app);

        var page = await client.GetPageAsync("/search?q=" + Uri.EscapeDataString("zzqxnothing <b>"));

        Assert.Contains("No results for “zzqxnothing <b>”", page.QuerySelector(".search-empty")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("zzqxnothing <b>", page.QuerySelector("#search-page-q")!.GetAttribute("value"));
    }

    [Fact]
    public async Task SnippetHighlightsMatchesAndEscapesMarkupFromThePost()
    {
        PostSeeder.Insert(app, new SeedPost
        {
            Title = "Escaping lesson",
            BodyHtml = "<p>Never paste &lt;script&gt;alert('xss')&lt;/script&gt; near the harmonica into a page.</p>",
        });
        using var client = new BlogClient(app);

        using var response = await client.GetAsync("/search?q=harmonica");
        var html = await response.Content.ReadAsStringAsync();
        var snippet = BlogClient.Parse(html).QuerySelector(".snippet")!;

        Assert.Equal("harmonica", snippet.QuerySelector("mark")!.TextContent);
        Assert.Contains("<script>alert('xss')</script>", snippet.TextContent, StringComparison.Ordinal);
        Assert.Null(snippet.QuerySelector("script"));
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResultsComeNewestFirstAPageAtATime()
    {
        var tag = "pagedterm" + Guid.NewGuid().ToString("N")[..6];
        var posts = PostSeeder.InsertMany(app, Enumerable.Range(0, 12).Select(i => new SeedPost
        {
            Title = $"Entry {i}",
            BodyHtml = $"<p>{tag} appears here among other words to pad the text out a little {i}.</p>",
        }));
        // Written last, so it would lead the results if drafts were searched.
        PostSeeder.Insert(app, new SeedPost { Title = "Unfinished", Status = "draft", PublishedAt = null, BodyHtml = $"<p>{tag}</p>" });
        using var client = new BlogClient(app);

        var first = await client.GetPageAsync("/search?q=" + tag);
        var moreUrl = first.QuerySelector(".pager-older")!.GetAttribute("href")!;
        var second = await client.GetPageAsync(moreUrl);
        using var pastTheEnd = await client.GetAsync($"/search?q={tag}&before={posts[0].Id}");

        Assert.Equal([.. Enumerable.Range(2, 10).Reverse().Select(i => $"Entry {i}")], first.QuerySelectorAll(".search-result h3").Select(h => h.TextContent));
        Assert.Null(first.QuerySelector(".pager-newer"));
        Assert.Equal($"/search?q={tag}&before={posts[2].Id}&max-results=10", moreUrl);
        Assert.Equal(["Entry 1", "Entry 0"], second.QuerySelectorAll(".search-result h3").Select(h => h.TextContent));
        Assert.Equal($"/search?q={tag}", second.QuerySelector(".pager-newer")!.GetAttribute("href"));
        Assert.Null(second.QuerySelector(".pager-older"));
        Assert.Equal(HttpStatusCode.NotFound, pastTheEnd.StatusCode);
    }

    [Fact]
    public async Task TheSearchBoxIsALabelledGetFormOnEveryPage()
    {
        using var client = new BlogClient(app);

        var home = await client.GetPageAsync("/");
        var form = home.QuerySelector("form[role=search]")!;

        Assert.Equal("get", form.GetAttribute("method"));
        Assert.Equal("/search", form.GetAttribute("action"));
        Assert.Equal("q", form.QuerySelector("input[type=search]")!.GetAttribute("name"));
        Assert.NotNull(home.QuerySelector($"label[for={form.QuerySelector("input")!.Id}]"));
    }

    [Theory]
    [InlineData("hello world", "\"hello\" \"world\"")]
    [InlineData("\"NEAR(a, b)\" OR c* and", "\"a\" \"b\" \"c\" \"and\"")]
    [InlineData("title:x -y ^z", "\"title\" \"x\" \"y\" \"z\"")]
    [InlineData("Café naïve", "\"Café\" \"naïve\"")]
    [InlineData("*** \"\" ---", null)]
    [InlineData("", null)]
    public void FtsQueryQuotesEveryTermAndDropsSyntax(string input, string? expected)
    {
        Assert.Equal(expected, FtsQuery.Build(input));
    }

    [Fact]
    public void FtsQueryCapsLongInput()
    {
        var terms = FtsQuery.Terms(string.Join(' ', Enumerable.Range(0, 1000).Select(i => "w" + i)));

        Assert.Equal(FtsQuery.MaxTerms, terms.Count);
    }

    [Theory]
    [InlineData("a \uE000b\uE001 <c>", "a <mark>b</mark> &lt;c&gt;")]
    [InlineData("\uE001stray\uE000open", "stray<mark>open</mark>")]
    [InlineData("<mark>&amp;", "&lt;mark&gt;&amp;amp;")]
    public void SnippetHighlighterEncodesTextAndEmitsOnlyBalancedMarks(string snippet, string expected)
    {
        Assert.Equal(expected, SnippetHighlighter.ToHtml(snippet));
    }
}
