namespace Blog.Web.Mail;

/// <summary>
/// When a message that could not be sent is tried again: one minute after the first failure, then twice as long
/// after each further one, up to two hours between attempts; the twentieth failed attempt, about a day after the
/// first, is the last.
/// </summary>
public static class MailRetry
{
    public const int MaxAttempts = 20;

    public static readonly TimeSpan FirstDelay = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan LongestDelay = TimeSpan.FromHours(2);

    /// <summary>How far a delay is moved at random, either way, as a share of it.</summary>
    public const double Jitter = 0.2;

    /// <summary>
    /// The wait after <paramref name="failedAttempts"/> failed attempts. <paramref name="random"/> (0 to 1) moves it by
    /// up to <see cref="Jitter"/> either way, so that the many messages one outage held back do not all come back to
    /// the mail server at the same moment.
    /// </summary>
    public static TimeSpan DelayAfter(int failedAttempts, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        var doubled = FirstDelay.TotalSeconds * Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        var capped = Math.Min(doubled, LongestDelay.TotalSeconds);
        return TimeSpan.FromSeconds(capped * (1 - Jitter + (2 * Jitter * random)));
    }
}
