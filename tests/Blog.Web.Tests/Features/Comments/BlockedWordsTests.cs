using Blog.Web.Content;
using Blog.Web.Features.Comments;
using Microsoft.Extensions.Options;

namespace Blog.Web.Tests.Features.Comments;

/// <summary>Blocked words are found in what readers will read, however the comment spells it in Markdown or Unicode.</summary>
public sealed class BlockedWordsTests
{
    private static readonly CommentRenderer Renderer = new(Options.Create(new ContentOptions()));

    [Theory]
    [InlineData("spam", "Buy sp&#97;m today")]
    [InlineData("spam", "Buy s&#x70;am today")]
    [InlineData("spam", "Buy s<b></b>pam today")]
    [InlineData("spam", "Buy s<span>p</span>am today")]
    [InlineData("spam", "Buy s<!-- hidden -->pam today")]
    [InlineData("spam", "Buy s*p*am today")]
    [InlineData("spam", "Buy s**p**am today")]
    [InlineData("spam", "Buy s`p`am today")]
    [InlineData("spam", "Buy sp&shy;am today")]
    [InlineData("spam", "Buy sp&#x200B;am today")]
    [InlineData("spam", "Buy sp\u200Bam today")]
    [InlineData("spam", "Buy sp\u200Da\u2060m today")]
    [InlineData("spam", "Buy s\u00ADpa\uFE0Fm today")]
    [InlineData("spam", "Buy ｓｐａｍ today")]
    [InlineData("spam", "Buy 𝐬𝐩𝐚𝐦 today")]
    [InlineData("spam", "Buy ⓢⓟⓐⓜ today")]
    [InlineData("spam", "Buy SPAM today")]
    [InlineData("SPAM", "Buy spam today")]
    [InlineData("ｓｐａｍ", "Buy spam today")]
    [InlineData("spam", "Our spammer returns")]
    [InlineData("spam", "[a harmless link](https://example.test/buy-sp%61m)")]
    [InlineData("spam", "<a href=\"https://sp&#97;m.example/\">a harmless link</a>")]
    [InlineData("cheap pills", "cheap\npills")]
    [InlineData("cheap pills", "cheap   **pills**")]
    [InlineData("cheap pills", "cheap&nbsp;pills")]
    public void BlockedWordsAreFoundHoweverTheyAreSpelled(string word, string markdown)
    {
        Assert.Equal(word, Find(word, markdown));
    }

    [Theory]
    [InlineData("spam", "Is it asp\n\nam I right?")]
    [InlineData("spam", "s pam")]
    [InlineData("spam", "- s\n- pam")]
    [InlineData("spam", "> s\n\npam")]
    [InlineData("spam", "s  \npam")]
    [InlineData("spam", "sp-am")]
    [InlineData("spam", "s_p_am, as CommonMark shows underscores inside a word")]
    [InlineData("cheap pills", "cheap, pills")]
    [InlineData("schön", "schon wieder")]
    [InlineData("café", "cafe")]
    public void WordsThatAReaderWouldNotSeeAreNotBlocked(string word, string markdown)
    {
        Assert.Null(Find(word, markdown));
    }

    [Fact]
    public void TheFirstBlockedWordOfTheListIsNamedAndAnEmptyListBlocksNothing()
    {
        var rendered = Render("casino and sp&#97;m");

        Assert.Equal("spam", BlockedWords.FindIn(["viagra", "spam", "casino"], "casino and sp&#97;m", rendered));
        Assert.Null(BlockedWords.FindIn([], "casino and sp&#97;m", rendered));
    }

    private static string? Find(string word, string markdown) => BlockedWords.FindIn([word], markdown, Render(markdown));

    private static RenderedComment Render(string markdown)
    {
        var result = Renderer.RenderAsync(markdown).GetAwaiter().GetResult();
        return result.Body ?? throw new InvalidOperationException(result.Error);
    }
}
