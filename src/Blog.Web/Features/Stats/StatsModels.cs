using System.Globalization;

namespace Blog.Web.Features.Stats;

/// <summary>The statistics page for one range of days.</summary>
public sealed record StatsPage
{
    /// <summary>The ranges the page offers, in days.</summary>
    public static readonly int[] Ranges = [30, 90, 365];

    public required int Days { get; init; }

    public required DateOnly From { get; init; }

    public required DateOnly To { get; init; }

    public required DayChart Views { get; init; }

    public required DayChart Comments { get; init; }

    public required long Visitors { get; init; }

    public required IReadOnlyList<TopPost> TopPosts { get; init; }

    public required IReadOnlyList<NamedCount> Referrers { get; init; }

    public required IReadOnlyList<NamedCount> Searches { get; init; }
}

/// <summary>A post among the most read of the range; <see cref="Path"/> is null when it is not published now.</summary>
public sealed record TopPost
{
    public required string Title { get; init; }

    public string? Path { get; init; }

    public required long Views { get; init; }

    public required long Visitors { get; init; }
}

/// <summary>A referring domain or a search term, with its count over the range.</summary>
public sealed record NamedCount
{
    public required string Name { get; init; }

    public required long Count { get; init; }
}

/// <summary>One number per day of the range (days without any are 0), and how to draw them as bars.</summary>
public sealed record DayChart
{
    public const int Width = 720;

    public const int Height = 180;

    public required string Id { get; init; }

    public required string Title { get; init; }

    /// <summary>What is counted, in words, e.g. "views".</summary>
    public required string Unit { get; init; }

    public required IReadOnlyList<DayCount> Points { get; init; }

    public long Total => Points.Sum(point => point.Count);

    public long Max => Points.Count == 0 ? 0 : Points.Max(point => point.Count);

    /// <summary>The summary a screen reader gives for the picture; the table below it holds every number.</summary>
    public string Description
    {
        get
        {
            if (Total == 0)
            {
                return $"No {Unit} in these {Points.Count} days.";
            }
            var busiest = Points.First(point => point.Count == Max);
            return string.Create(CultureInfo.InvariantCulture,
                $"{Total} {Unit} in {Points.Count} days, from {Points[0].Day:d MMMM yyyy} to {Points[^1].Day:d MMMM yyyy}; the most, {Max}, on {busiest.Day:d MMMM yyyy}.");
        }
    }

    /// <summary>The bars, left to right, in the SVG's own units; days with nothing have none.</summary>
    public IEnumerable<ChartBar> Bars()
    {
        var max = Max;
        if (max == 0)
        {
            yield break;
        }
        var slot = (double)Width / Points.Count;
        // A gap between bars while they are wide enough to show one.
        var barWidth = slot >= 4 ? slot * 0.8 : slot;
        for (var i = 0; i < Points.Count; i++)
        {
            var height = Points[i].Count == 0 ? 0 : Math.Max(1, Height * (double)Points[i].Count / max);
            if (height > 0)
            {
                yield return new ChartBar(Format(i * slot), Format(Height - height), Format(barWidth), Format(height));
            }
        }
    }

    private static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}

public readonly record struct DayCount(DateOnly Day, long Count);

/// <summary>A bar's rectangle, numbers already written the way SVG reads them.</summary>
public readonly record struct ChartBar(string X, string Y, string Width, string Height);
