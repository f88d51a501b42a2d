using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;

namespace Blog.Web.Tests.Features.Authoring;

/// <summary>A post imported as HTML is edited as HTML; a Markdown post is not touched by that.</summary>
public sealed class HtmlBodyTests(AuthoringAppFactory app) : IClassFixture<AuthoringAppFactory>
{
    private const string Title = "Imported from elsewhere";

    private long SeedHtmlPost(string authorId, string html)
    {
        var (id, _) = PostSeeder.Insert(app, new SeedPost { Title = Title, AuthorId = authorId, BodyHtml = html });
        using var connection = app.OpenDatabase();
        connection.Execute("UPDATE posts SET body_format = 'html', body_markdown = @Html WHERE id = @Id", new { Html = html, Id = id });
        return id;
    }

    private (string Format, string Source, string Html) Stored(long id)
    {
        using var connection = app.OpenDatabase();
        return connection.QuerySingle<(string, string, string)>("SELECT body_format, body_markdown, body_html FROM posts WHERE id = @Id", new { Id = id });
    }

    [Fact]
    public async Task AnHtmlPostOpensAsHtmlAndSavesAsHtml()
    {
        var (client, author) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var _ = client;
        var id = SeedHtmlPost(author.Id, "<p>Kept <b>bold</b></p>");

        var editor = await client.Http.GetStringAsync($"/admin/posts/{id}/edit");
        using var saved = await client.SubmitFormAsync($"/admin/posts/{id}/edit", new Dictionary<string, string>
        {
            ["Title"] = Title,
            ["Body"] = "<p>Changed *not emphasis* <b>bold</b></p><script>alert(1)</script>",
            ["Command"] = "save",
        });

        Assert.True(saved.StatusCode == System.Net.HttpStatusCode.Redirect, await saved.Content.ReadAsStringAsync());
        Assert.Contains("(HTML)", editor, StringComparison.Ordinal);
        Assert.Contains("&lt;p&gt;Kept &lt;b&gt;bold&lt;/b&gt;&lt;/p&gt;", editor, StringComparison.Ordinal);
        Assert.Contains("/admin/preview?format=html", editor, StringComparison.Ordinal);
        var (format, source, html) = Stored(id);
        Assert.Equal("html", format);
        Assert.Equal("<p>Changed *not emphasis* <b>bold</b></p><script>alert(1)</script>", source);
        Assert.Equal("<p>Changed *not emphasis* <b>bold</b></p>", html);
    }

    [Fact]
    public async Task AMarkdownPostStillSavesAsMarkdown()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var _ = client;
        using var created = await client.SubmitFormAsync("/admin/posts/new", new Dictionary<string, string>
        {
            ["Title"] = "Markdown " + Guid.NewGuid().ToString("N")[..8], ["Body"] = "Some *emphasis*", ["Command"] = "save",
        });
        var id = long.Parse(created.Headers.Location!.OriginalString.Split('/')[3], System.Globalization.CultureInfo.InvariantCulture);

        var editor = await client.Http.GetStringAsync($"/admin/posts/{id}/edit");

        Assert.Contains("(Markdown)", editor, StringComparison.Ordinal);
        var (format, _, html) = Stored(id);
        Assert.Equal("markdown", format);
        Assert.Contains("<em>emphasis</em>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePreviewOfAnHtmlBodyIsTheSanitizedHtml()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);
        using var _ = client;

        using var preview = await client.PostAsync("/admin/preview?format=html", new Dictionary<string, string> { ["body"] = "<p>*x*</p><img src=x onerror=alert(1)>" }, "/admin/posts/new");

        Assert.Equal("<p>*x*</p><img>", await preview.Content.ReadAsStringAsync());
    }
}
