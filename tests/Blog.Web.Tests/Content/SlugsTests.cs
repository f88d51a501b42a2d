using Blog.Web.Content;

namespace Blog.Web.Tests.Content;

public sealed class SlugsTests
{
    [Theory]
    [InlineData("Hello, World!", "hello-world")]
    [InlineData("Crème brûlée, at last", "creme-brulee-at-last")]
    [InlineData("  --Straße & Ærø--  ", "strasse-aero")]
    [InlineData("Łódź in 2025", "lodz-in-2025")]
    [InlineData("C# 12: what's new?", "c-12-what-s-new")]
    [InlineData("ALL   CAPS\tand\nlines", "all-caps-and-lines")]
    [InlineData("<script>alert(1)</script>", "script-alert-1-script")]
    public void SlugsAreLowercaseAsciiWithDashes(string title, string expected)
    {
        var slug = Slugs.From(title);

        Assert.Equal(expected, slug);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("!!!")]
    [InlineData("日本語のタイトル")]
    [InlineData("🎉🎉")]
    public void TitlesWithNothingSpellableFallBackToAFixedWord(string title)
    {
        Assert.Equal("", Slugs.From(title));
        Assert.Equal(Slugs.Fallback, Slugs.FromTitle(title));
    }

    [Fact]
    public void HalvesOfSurrogatePairsAreWordBreaksNotErrors()
    {
        // Kept out of InlineData: test runners serialize theory data and may choke on unpaired surrogates.
        Assert.Equal("caf-e", Slugs.From("caf\ud800e"));
        Assert.Equal("abc", Slugs.From("\udc00abc\ud83d"));
        Assert.Equal("ok-done", Slugs.From("ok \ud83c\udf89 done"));
    }

    [Fact]
    public void LongTitlesAreCutWithoutATrailingDash()
    {
        var title = string.Join(' ', Enumerable.Repeat("abcdefghi", 30));

        var slug = Slugs.From(title);

        Assert.True(slug.Length <= Slugs.MaxLength, slug);
        Assert.False(slug.EndsWith('-'), slug);
        Assert.StartsWith("abcdefghi-abcdefghi", slug, StringComparison.Ordinal);
    }

    [Fact]
    public void SuffixesKeepTheSlugWithinTheLimit()
    {
        var longSlug = new string('a', Slugs.MaxLength);

        Assert.Equal("hello-2", Slugs.WithSuffix("hello", 2));
        Assert.Equal(Slugs.MaxLength, Slugs.WithSuffix(longSlug, 12).Length);
        Assert.EndsWith("-12", Slugs.WithSuffix(longSlug, 12), StringComparison.Ordinal);
    }
}
