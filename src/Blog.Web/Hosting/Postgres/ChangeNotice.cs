using System.Globalization;

namespace Blog.Web.Hosting.Postgres;

/// <summary>
/// One message an instance sends the others through PostgreSQL's NOTIFY: who sent it, what happened
/// (<see cref="Changed"/> or <see cref="Evicted"/>), to what, and a number (the change's counter, or when posts
/// changed in UTC ticks, 0 if they did not). Written as four words separated by spaces.
/// </summary>
public sealed record ChangeNotice(string Sender, string Kind, string Subject, long Number)
{
    /// <summary>Something instances keep a copy of changed (<see cref="Subject"/> is its name, the number its new counter).</summary>
    public const string Changed = "changed";

    /// <summary>Reader pages with a tag were evicted (<see cref="Subject"/> is the tag).</summary>
    public const string Evicted = "evicted";

    /// <summary>Far below NOTIFY's limit of 8,000 bytes; a real notice is under 100.</summary>
    public const int MaxLength = 1000;

    public string Payload => string.Create(CultureInfo.InvariantCulture, $"{Sender} {Kind} {Subject} {Number}");

    /// <summary>
    /// The notice a payload holds, or null for anything else: anyone who may connect to the database can send on the
    /// channel, so an odd message is ignored rather than trusted.
    /// </summary>
    public static ChangeNotice? Parse(string? payload)
    {
        if (string.IsNullOrEmpty(payload) || payload.Length > MaxLength)
        {
            return null;
        }
        var words = payload.Split(' ');
        if (words.Length != 4 || words.Take(3).Any(word => word.Length == 0 || !word.All(IsPlain))
            || words[1] is not (Changed or Evicted)
            || !long.TryParse(words[3], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }
        return new ChangeNotice(words[0], words[1], words[2], number);
    }

    /// <summary>Names, tags and ids are plain ASCII without spaces or control characters.</summary>
    private static bool IsPlain(char c) => c is > ' ' and < '\u007f';
}
