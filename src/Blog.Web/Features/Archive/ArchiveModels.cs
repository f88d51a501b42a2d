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

    /// <summary>Groups publication times by year and month in the blog's time zone.</summary>
    public static IReadOnlyList<ArchiveYear> Group(IEnumerable<DateTime> publishedUtc, TimeZoneInfo zone) =>
    [
        .. publishedUtc
            .Select(utc => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone))
            .GroupBy(local => local.Year)
            .OrderByDescending(year => year.Key)
            .Select(year => new ArchiveYear(year.Key, year.Count(), [
                .. year.GroupBy(local => local.Month)
                    .OrderByDescending(month => month.Key)
                    .Select(month => new ArchiveMonth(year.Key, month.Key, month.Count())),
            ])),
    ];

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
