using System.Text;
using Blog.Web.Features.Authoring;

namespace Blog.Web.Tests.Features.Authoring;

public sealed class WordDiffTests
{
    [Fact]
    public void ChangedWordsAreRemovedAndAddedAndTheRestIsKept()
    {
        var pieces = WordDiff.Compare("The cat sat on the mat.", "The dog sat on the red mat!");

        Assert.Equal(
            [
                new(DiffKind.Same, "The "), new(DiffKind.Removed, "cat"), new(DiffKind.Added, "dog"), new(DiffKind.Same, " sat on the "),
                new(DiffKind.Added, "red "), new(DiffKind.Same, "mat"), new(DiffKind.Removed, "."), new(DiffKind.Added, "!"),
            ],
            pieces);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("", "Only new")]
    [InlineData("Only old", "")]
    [InlineData("Same text", "Same text")]
    [InlineData("a b c d e", "e d c b a")]
    [InlineData("Ünïcödé 🙂 words\r\n\r\nand lines", "Ünïcödé 🙃 words\n\nand more lines")]
    public void EitherTextIsRebuiltFromThePieces(string before, string after)
    {
        var pieces = WordDiff.Compare(before, after);

        Assert.Equal(before, string.Concat(pieces.Where(p => p.Kind != DiffKind.Added).Select(p => p.Text)));
        Assert.Equal(after, string.Concat(pieces.Where(p => p.Kind != DiffKind.Removed).Select(p => p.Text)));
        Assert.DoesNotContain(pieces.Zip(pieces.Skip(1)), pair => pair.First.Kind == pair.Second.Kind);
    }

    [Fact]
    public void TwoLargeBodiesWithAFewChangesAreComparedWordByWord()
    {
        var before = Paragraphs(4_000, seed: 0);
        var after = before.Replace("paragraph 1000 ", "paragraph one thousand ", StringComparison.Ordinal)
            .Replace("paragraph 3999 ", "", StringComparison.Ordinal);

        var pieces = WordDiff.Compare(before, after);

        Assert.True(before.Length > 200_000);
        Assert.Equal(["1000 ", "paragraph 3999 "], pieces.Where(p => p.Kind == DiffKind.Removed).Select(p => p.Text));
        Assert.Equal(["one thousand "], pieces.Where(p => p.Kind == DiffKind.Added).Select(p => p.Text));
    }

    [Fact]
    public void TwoLargeUnrelatedBodiesTakeBoundedMemoryAndStillRebuildBothTexts()
    {
        var before = Paragraphs(4_000, seed: 1);
        var after = Paragraphs(4_000, seed: 2);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var pieces = WordDiff.Compare(before, after);

        // A table of one cell per pair of words would take over 10 GB here; the capped search stays far below.
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.True(allocated < 150_000_000, $"{allocated:N0} bytes allocated");
        Assert.Equal(before, string.Concat(pieces.Where(p => p.Kind != DiffKind.Added).Select(p => p.Text)));
        Assert.Equal(after, string.Concat(pieces.Where(p => p.Kind != DiffKind.Removed).Select(p => p.Text)));
    }

    [Fact]
    public void TextsDifferingInTooManyWordsAreComparedLineByLine()
    {
        // Three words changed on each of 300 lines: 1,800 word edits, past the cap, but 600 line edits, within it.
        var lines = Enumerable.Range(0, 900).Select(i => $"line {i} of the text\n").ToArray();
        var before = string.Concat(lines);
        var after = string.Concat(lines.Select((line, i) => i % 3 == 0 ? line.Replace("of the text", "in a book", StringComparison.Ordinal) : line));

        var pieces = WordDiff.Compare(before, after);

        Assert.Equal(
            [new(DiffKind.Removed, "line 0 of the text\n"), new(DiffKind.Added, "line 0 in a book\n"), new(DiffKind.Same, "line 1 of the text\nline 2 of the text\n")],
            pieces.Take(3));
        Assert.Equal(600, pieces.Count(p => p.Kind != DiffKind.Same));
    }

    /// <summary>Numbered paragraphs of words picked by a seeded generator: large, and as unlike another seed's as text gets.</summary>
    private static string Paragraphs(int count, int seed)
    {
        var random = new Random(seed);
        string[] words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima"];
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append("paragraph ").Append(i).Append(' ');
            for (var w = 0; w < 6; w++)
            {
                text.Append(words[random.Next(words.Length)]).Append(' ');
            }
            text.Append("\n\n");
        }
        return text.ToString();
    }
}
