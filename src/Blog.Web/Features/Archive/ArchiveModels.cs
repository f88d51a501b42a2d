using System.Globalization;
using Blog.Web.Features.Posts;

namespace Blog.Web.Features.Archive;

/// <summary>The "Blog archive" box: years, newest first, each with its months and post counts.</summary>
public sealed record ArchiveYear(int Year, int PostCount, IReadOnlyList<ArchiveMonth> Months)
{
    public string Url => ArchivePaths.Year(Year);
}

public sealed record ArchiveMonth(int Year, int Month, int PostCount)
{
    public string Name => CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(Month);

    public string Url => ArchivePaths.Month(Year, Month);
}

public static class ArchivePaths
{
    public static string Year(int year) => string.Create(CultureInfo.InvariantCulture, $"/{year:0000}/");

    public static string Month(int year, int month) => string.Create(CultureInfo.InvariantCulture, $"/{year:0000}/{month:00}/");

    /// <summary>Years newest first, each with its months newest first; months without posts are left out.</summary>
    public static IReadOnlyList<ArchiveYear> Group(IEnumerable<(DateTime Month, int PostCount)> months) =>
    [
        .. months
            .Where(month => month.PostCount > 0)
            .GroupBy(month => month.Month.Year)
            .OrderByDescending(year => year.Key)
            .Select(year => new ArchiveYear(year.Key, year.Sum(month => month.PostCount), [
                .. year.OrderByDescending(month => month.Month.Month)
                    .Select(month => new ArchiveMonth(year.Key, month.Month.Month, month.PostCount)),
            ])),
    ];

    /// <summary>
    /// The first day of each month in the blog's zone, from the month before <paramref name="firstUtc"/>'s (a
    /// margin for zones whose clocks go back at midnight) to the month of <paramref name="nowUtc"/>.
    /// </summary>
    public static IReadOnlyList<DateTime> MonthsBetween(DateTime firstUtc, DateTime nowUtc, TimeZoneInfo zone)
    {
        var first = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(firstUtc, DateTimeKind.Utc), zone);
        var last = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc), zone);
        var months = new List<DateTime>();
        for (var month = new DateTime(first.Year, first.Month, 1).AddMonths(first.Year == 1 && first.Month == 1 ? 0 : -1);
             month <= last;
             month = month.AddMonths(1))
        {
            months.Add(month);
        }
        return months;
    }

    /// <summary>The UTC instant a local calendar moment in the blog's zone corresponds to (skipping a DST gap).</summary>
    public static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddMinutes(30);
        }
        return TimeZoneInfo.ConvertTimeToUtc(unspecified, zone);
    }
}
