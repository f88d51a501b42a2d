using System.Collections.Concurrent;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Blog.Web.Features.Stats;

/// <summary>
/// What readers did since the last write, counted in memory so that a request never waits for the database.
/// <see cref="StatsWriter"/> takes the counts every few seconds and adds them to the stats_* tables.
/// </summary>
/// <remarks>
/// Bounded: a window holds at most <see cref="MaxKeysPerWindow"/> distinct keys (post, visitor, referring domain,
/// search term); what does not fit is dropped and counted in <see cref="StatsWindow.Dropped"/>, so a flood of
/// made-up search terms or referrers costs a fixed amount of memory, not more.
/// </remarks>
public sealed class ViewCounter(TimeProvider clock)
{
    public const int MaxKeysPerWindow = 20_000;

    private StatsWindow _window = new();
    private CountingDay? _day;

    /// <summary>The day being counted and its salt, set by <see cref="StatsWriter"/>; null until it has read them.</summary>
    public CountingDay? Day => Volatile.Read(ref _day);

    public void StartDay(CountingDay day) => Volatile.Write(ref _day, day);

    /// <summary>A view of a post or page, and the referring site if any.</summary>
    public void CountView(string kind, string slug, IPAddress? address, string userAgent, string? referer)
    {
        var day = Day;
        var today = TodayIn(day);
        var window = Enter();
        try
        {
            Add(window, window.Views, new PageDay(today, kind, slug));
            // Without the day's salt (the first seconds after start or after midnight) the view counts and the visitor
            // does not: hashing with another salt would count one reader as two.
            if (day is not null && day.Day == today)
            {
                var visitor = new VisitorDay(today, kind, slug, VisitorHash(day.Salt, address, userAgent));
                if (!window.Visitors.ContainsKey(visitor) && window.TryTakeKey())
                {
                    window.Visitors.TryAdd(visitor, 0);
                }
            }
            CountReferrer(window, today, day, referer);
        }
        finally
        {
            window.Leave();
        }
    }

    /// <summary>A reader page other than a post (home, lists, search): only where the reader came from is kept.</summary>
    public void CountArrival(string? referer)
    {
        if (string.IsNullOrEmpty(referer))
        {
            return;
        }
        var day = Day;
        var window = Enter();
        try
        {
            CountReferrer(window, TodayIn(day), day, referer);
        }
        finally
        {
            window.Leave();
        }
    }

    public void CountSearch(string term, string? referer)
    {
        var day = Day;
        var today = TodayIn(day);
        var window = Enter();
        try
        {
            Add(window, window.Searches, new TextDay(today, term));
            CountReferrer(window, today, day, referer);
        }
        finally
        {
            window.Leave();
        }
    }

    /// <summary>
    /// Hands over everything counted so far and starts a new window. Waits for requests still adding to the old
    /// one (they hold it for microseconds), so nothing counted is lost between the two.
    /// </summary>
    public async Task<StatsWindow> TakeAsync(CancellationToken ct)
    {
        var taken = Interlocked.Exchange(ref _window, new StatsWindow());
        while (taken.HasWriters)
        {
            await Task.Yield();
            ct.ThrowIfCancellationRequested();
        }
        return taken;
    }

    /// <summary>SHA-256 of salt, address and user agent, cut to 128 bits: plenty to tell a day's readers apart.</summary>
    public static UInt128 VisitorHash(byte[] salt, IPAddress? address, string userAgent)
    {
        var agent = userAgent.AsSpan(0, Math.Min(userAgent.Length, ViewRules.MaxUserAgentLength));
        Span<byte> input = stackalloc byte[salt.Length + 16 + Encoding.UTF8.GetMaxByteCount(ViewRules.MaxUserAgentLength)];
        salt.CopyTo(input);
        var length = salt.Length;
        if (address is not null && address.TryWriteBytes(input[length..], out var written))
        {
            length += written;
        }
        length += Encoding.UTF8.GetBytes(agent, input[length..]);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input[..length], hash);
        return MemoryMarshal.Read<UInt128>(hash);
    }

    private string TodayIn(CountingDay? day)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (day is not null && now < day.EndsAtUtc)
        {
            return day.Day;
        }
        // The writer has not started the day yet: work it out here (rare: seconds a day).
        return CountingDay.DayOf(now, day?.Zone ?? TimeZoneInfo.Utc);
    }

    private static void CountReferrer(StatsWindow window, string today, CountingDay? day, string? referer)
    {
        if (ViewRules.ReferringDomain(referer, day?.OwnDomain) is { } domain)
        {
            Add(window, window.Referrers, new TextDay(today, domain));
        }
    }

    private static void Add<TKey>(StatsWindow window, ConcurrentDictionary<TKey, Tally> counts, TKey key)
        where TKey : notnull
    {
        if (!counts.TryGetValue(key, out var tally))
        {
            if (!window.TryTakeKey())
            {
                return;
            }
            tally = counts.GetOrAdd(key, static _ => new Tally());
        }
        tally.Increment();
    }

    private StatsWindow Enter()
    {
        while (true)
        {
            var window = Volatile.Read(ref _window);
            window.Enter();
            // Taken between the read and the entry: count into the new one instead.
            if (ReferenceEquals(window, Volatile.Read(ref _window)))
            {
                return window;
            }
            window.Leave();
        }
    }
}

/// <summary>The blog's current calendar day, its salt, and when it ends; replaced when the day turns.</summary>
public sealed record CountingDay(string Day, byte[] Salt, DateTime EndsAtUtc, TimeZoneInfo Zone, string? OwnDomain)
{
    public static string DayOf(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(utc, zone).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The first UTC moment of the day after the one <paramref name="utc"/> falls on in <paramref name="zone"/>.</summary>
    public static DateTime NextDayStartsAt(DateTime utc, TimeZoneInfo zone)
    {
        var tomorrow = TimeZoneInfo.ConvertTimeFromUtc(utc, zone).Date.AddDays(1);
        return StartOf(tomorrow, zone);
    }

    /// <summary>When a local calendar day begins, in UTC; a midnight skipped by a clock change begins at the first hour that exists.</summary>
    public static DateTime StartOf(DateTime localDate, TimeZoneInfo zone)
    {
        var local = DateTime.SpecifyKind(localDate.Date, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }
}

/// <summary>Views of one post or page on one day.</summary>
public readonly record struct PageDay(string Day, string Kind, string Slug);

/// <summary>One reader (as a salted hash) of one post or page on one day.</summary>
public readonly record struct VisitorDay(string Day, string Kind, string Slug, UInt128 Hash);

/// <summary>A referring domain or a search term on one day.</summary>
public readonly record struct TextDay(string Day, string Text);

public sealed class Tally
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);
}

/// <summary>The counts gathered between two writes.</summary>
public sealed class StatsWindow
{
    private int _keys;
    private int _writers;
    private long _dropped;

    public ConcurrentDictionary<PageDay, Tally> Views { get; } = new();

    public ConcurrentDictionary<VisitorDay, byte> Visitors { get; } = new();

    public ConcurrentDictionary<TextDay, Tally> Referrers { get; } = new();

    public ConcurrentDictionary<TextDay, Tally> Searches { get; } = new();

    /// <summary>Counts left out because the window was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public bool IsEmpty => Views.IsEmpty && Referrers.IsEmpty && Searches.IsEmpty;

    internal bool HasWriters => Volatile.Read(ref _writers) > 0;

    internal void Enter() => Interlocked.Increment(ref _writers);

    internal void Leave() => Interlocked.Decrement(ref _writers);

    /// <summary>Claims room for one more key, or counts a drop when the window is full.</summary>
    internal bool TryTakeKey()
    {
        if (Interlocked.Increment(ref _keys) <= ViewCounter.MaxKeysPerWindow)
        {
            return true;
        }
        Interlocked.Increment(ref _dropped);
        return false;
    }
}
