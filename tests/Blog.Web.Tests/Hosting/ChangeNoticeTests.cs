using Blog.Web.Hosting.Postgres;

namespace Blog.Web.Tests.Hosting;

/// <summary>
/// What instances on one PostgreSQL tell each other travels as NOTIFY payloads, which anyone who may connect to the
/// database can send too: only the blog's own four-word notices are read, anything else is ignored.
/// </summary>
public sealed class ChangeNoticeTests
{
    /// <summary>Payloads that are not notices: empty, cut short, too long, odd characters and numbers, on a wrong channel's habits.</summary>
    public static readonly IReadOnlyList<string> HostilePayloads =
    [
        "",
        " ",
        "    ",
        "abc",
        "abc changed",
        "abc changed settings",
        "abc changed settings 1 extra",
        "abc  changed settings 1",
        " abc changed settings 1",
        "abc changed settings 1 ",
        "abc renamed settings 1",
        "abc CHANGED settings 1",
        "abc changed settings -1",
        "abc changed settings +1",
        "abc changed settings 1.5",
        "abc changed settings 0x10",
        "abc changed settings 99999999999999999999999",
        "abc changed settings ١٢٣",
        "abc evicted reader:post:1 NaN",
        "abc\tevicted reader 1",
        "abc evicted read\ner 1",
        "abc evicted réader 1",
        "abc evicted reader\u200b 1",
        "abc evicted \u202ereader 1",
        "abc evicted reader\u0001 1",
        "abc evicted reader\0 1",
        "<notice sender=\"abc\" kind=\"evicted\"/>",
        "{\"sender\":\"abc\",\"kind\":\"evicted\",\"subject\":\"reader\",\"number\":1}",
        "abc evicted " + new string('x', 2000) + " 1",
        new string(' ', 7000),
        string.Join(' ', Enumerable.Repeat("abc", 2000)),
        "\ud800 evicted reader 1",
    ];

    [Fact]
    public void ANoticeReadsBackAsItWasWritten()
    {
        var notice = new ChangeNotice("0123abcd", ChangeNotice.Evicted, "reader:post:42", 638_999_999_999_999_999);

        var read = ChangeNotice.Parse(notice.Payload);

        Assert.Equal(notice, read);
        Assert.Equal("0123abcd evicted reader:post:42 638999999999999999", notice.Payload);
        Assert.Equal(new ChangeNotice("x", ChangeNotice.Changed, "settings", 0), ChangeNotice.Parse("x changed settings 0"));
    }

    [Fact]
    public void AnythingElseIsNotANotice()
    {
        Assert.All(HostilePayloads, payload => Assert.Null(ChangeNotice.Parse(payload)));
        Assert.Null(ChangeNotice.Parse(null));
        Assert.True(HostilePayloads.Count >= 30);
    }
}
