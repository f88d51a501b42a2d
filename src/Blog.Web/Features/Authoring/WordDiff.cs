using System.Text;
using System.Text.RegularExpressions;

namespace Blog.Web.Features.Authoring;

/// <summary>
/// A readable diff of two texts: the words (and the spaces and punctuation between them) kept, removed and added.
/// Myers' algorithm, stopped after <see cref="MaxEdits"/> edits so that its cost stays bounded: it takes time in
/// proportion to the texts' length times that cap and memory in proportion to the cap squared, never to the product of
/// the two lengths. Texts that differ in more places than that are compared line by line instead, and when even their
/// lines differ too much, shown as the one text removed and the other added.
/// </summary>
public static partial class WordDiff
{
    /// <summary>How many words (or lines) may differ before the comparison falls back to a coarser one.</summary>
    public const int MaxEdits = 1_000;

    public static IReadOnlyList<DiffPiece> Compare(string? before, string? after)
    {
        before ??= "";
        after ??= "";
        return Compare(Words().Split(before), Words().Split(after))
            ?? Compare(Lines().Split(before), Lines().Split(after))
            ?? Whole(before, after);
    }

    private static List<DiffPiece>? Compare(string[] before, string[] after)
    {
        before = [.. before.Where(token => token.Length > 0)];
        after = [.. after.Where(token => token.Length > 0)];
        // Equal tokens become equal numbers once, so the search compares integers rather than strings.
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        int Id(string token) => ids.TryGetValue(token, out var id) ? id : ids[token] = ids.Count;
        var a = Array.ConvertAll(before, Id);
        var b = Array.ConvertAll(after, Id);

        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }
        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }
        var middle = Edits(a[prefix..^suffix], b[prefix..^suffix]);
        if (middle is null)
        {
            return null;
        }
        var pieces = new PieceBuilder();
        pieces.Add(DiffKind.Same, before.AsSpan(0, prefix));
        foreach (var (kind, index) in middle)
        {
            pieces.Add(kind, kind == DiffKind.Added ? after[prefix + index] : before[prefix + index]);
        }
        pieces.Add(DiffKind.Same, before.AsSpan(before.Length - suffix, suffix));
        return Tidy(pieces.Pieces);
    }

    /// <summary>
    /// Joins changes that only a space keeps apart ("1000" → "one thousand" reads as one change, not as "one" added, a
    /// kept space and "thousand" added): all removed text of such a run first, then all added text.
    /// </summary>
    private static List<DiffPiece> Tidy(List<DiffPiece> pieces)
    {
        var tidy = new List<DiffPiece>();
        var (removed, added) = (new StringBuilder(), new StringBuilder());
        for (var i = 0; i < pieces.Count; i++)
        {
            var piece = pieces[i];
            var between = piece.Kind == DiffKind.Same && string.IsNullOrWhiteSpace(piece.Text)
                && removed.Length + added.Length > 0 && i + 1 < pieces.Count;
            if (piece.Kind == DiffKind.Same && !between)
            {
                Flush();
                tidy.Add(piece);
                continue;
            }
            (piece.Kind == DiffKind.Added ? added : removed).Append(piece.Text);
            if (between)
            {
                added.Append(piece.Text);
            }
        }
        Flush();
        return tidy;

        void Flush()
        {
            if (removed.Length > 0)
            {
                tidy.Add(new DiffPiece(DiffKind.Removed, removed.ToString()));
            }
            if (added.Length > 0)
            {
                tidy.Add(new DiffPiece(DiffKind.Added, added.ToString()));
            }
            (removed, added) = (new StringBuilder(), new StringBuilder());
        }
    }

    /// <summary>
    /// The shortest edit script from <paramref name="a"/> to <paramref name="b"/>, as (kind, index) steps: the index is
    /// into <paramref name="b"/> for an added token and into <paramref name="a"/> otherwise. Null past <see cref="MaxEdits"/>.
    /// </summary>
    private static List<(DiffKind Kind, int Index)>? Edits(int[] a, int[] b)
    {
        var (n, m) = (a.Length, b.Length);
        var limit = Math.Min(n + m, MaxEdits);
        // v[k + offset] is the furthest x reached on diagonal k (y = x - k); one extra slot each side for k ± 1.
        var offset = limit + 1;
        var v = new int[2 * limit + 3];
        // frontiers[d] holds v for k in [-d, d] as it was before step d: what the walk back needs.
        var frontiers = new List<int[]>();
        for (var d = 0; d <= limit; d++)
        {
            frontiers.Add(v[(offset - d)..(offset + d + 1)]);
            for (var k = -d; k <= d; k += 2)
            {
                var x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
                var y = x - k;
                while (x < n && y < m && a[x] == b[y])
                {
                    (x, y) = (x + 1, y + 1);
                }
                v[offset + k] = x;
                if (x >= n && y >= m)
                {
                    return WalkBack(frontiers, d, n, m);
                }
            }
        }
        return null;
    }

    private static List<(DiffKind Kind, int Index)> WalkBack(List<int[]> frontiers, int edits, int n, int m)
    {
        var steps = new List<(DiffKind Kind, int Index)>();
        var (x, y) = (n, m);
        for (var d = edits; d > 0; d--)
        {
            var previous = frontiers[d];
            var k = x - y;
            // previous is indexed from -d, but only its entries for -(d - 1)..(d - 1) were ever written.
            var down = k == -d || (k != d && previous[k - 1 + d] < previous[k + 1 + d]);
            var previousK = down ? k + 1 : k - 1;
            var previousX = previous[previousK + d];
            var previousY = previousX - previousK;
            while (x > previousX && y > previousY)
            {
                (x, y) = (x - 1, y - 1);
                steps.Add((DiffKind.Same, x));
            }
            if (down)
            {
                steps.Add((DiffKind.Added, previousY));
            }
            else
            {
                steps.Add((DiffKind.Removed, previousX));
            }
            (x, y) = (previousX, previousY);
        }
        while (x > 0)
        {
            x--;
            steps.Add((DiffKind.Same, x));
        }
        steps.Reverse();
        return steps;
    }

    private static List<DiffPiece> Whole(string before, string after)
    {
        var pieces = new PieceBuilder();
        pieces.Add(DiffKind.Removed, before);
        pieces.Add(DiffKind.Added, after);
        return pieces.Pieces;
    }

    /// <summary>Runs of words, of spaces, and single other characters (punctuation), each a token.</summary>
    [GeneratedRegex(@"(\w+|\s+|[^\w\s])", RegexOptions.CultureInvariant)]
    private static partial Regex Words();

    /// <summary>Lines, each with its line break.</summary>
    [GeneratedRegex(@"(?<=\n)", RegexOptions.CultureInvariant)]
    private static partial Regex Lines();

    /// <summary>Joins neighbouring tokens of one kind into one piece (in a builder: a long run must not be copied per token).</summary>
    private sealed class PieceBuilder
    {
        private readonly List<DiffPiece> _pieces = [];
        private readonly StringBuilder _run = new();
        private DiffKind _runKind;

        public List<DiffPiece> Pieces
        {
            get
            {
                Flush();
                return _pieces;
            }
        }

        public void Add(DiffKind kind, ReadOnlySpan<string> tokens)
        {
            foreach (var token in tokens)
            {
                Add(kind, token);
            }
        }

        public void Add(DiffKind kind, string text)
        {
            if (text.Length == 0)
            {
                return;
            }
            if (_run.Length > 0 && _runKind != kind)
            {
                Flush();
            }
            _runKind = kind;
            _run.Append(text);
        }

        private void Flush()
        {
            if (_run.Length > 0)
            {
                _pieces.Add(new DiffPiece(_runKind, _run.ToString()));
                _run.Clear();
            }
        }
    }
}

public enum DiffKind
{
    Same,
    Removed,
    Added,
}

/// <summary>A run of text that both sides share, or that only the older (removed) or newer (added) one has.</summary>
public sealed record DiffPiece(DiffKind Kind, string Text);
