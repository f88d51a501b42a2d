namespace Blog.Web.Features.Posts;

/// <summary>
/// The posts a list holds: every visible post published in [<see cref="From"/>, <see cref="To"/>) (the home page
/// and the archive), or those with a label.
/// </summary>
public sealed record PostSet(DateTime From, DateTime To, long? LabelId)
{
    public static PostSet All { get; } = new(DateTime.MinValue, DateTime.MaxValue, null);

    public static PostSet Between(DateTime fromUtc, DateTime toUtc) => new(fromUtc, toUtc, null);

    public static PostSet WithLabel(long labelId) => new(DateTime.MinValue, DateTime.MaxValue, labelId);

    /// <summary>
    /// The one upper bound of a page's range: the set's end, the page's start and "now" (what is later is not visible
    /// yet), whichever comes first. One bound, so that SQLite seeks the index to it instead of starting at another
    /// and filtering its way down.
    /// </summary>
    public DateTime UpperBound(DateTime? before, DateTime now)
    {
        var visible = now.AddTicks(1);
        var bound = To < visible ? To : visible;
        return before is { } start && start < bound ? start : bound;
    }
}
