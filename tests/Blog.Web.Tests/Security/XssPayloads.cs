using System.Net;
using System.Text.Encodings.Web;
using AngleSharp.Dom;
using Blog.Web.Hosting;
using System.Text.Json;
using System.Xml.Linq;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Security;

/// <summary>
/// The attack strings the XSS tests submit: the shared fixture's payloads when that folder is beside the
/// repository, otherwise a built-in list of classic vectors, so the tests still mean something in any clone.
/// </summary>
public static class XssPayloads
{
    private static readonly string[] BuiltIn =
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//example.test/x.js></SCRIPT>",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<img src=x onerror=alert(1)>",
        "<IMG SRC=\"javascript:alert('XSS');\">",
        "<img src=\"jav&#x09;ascript:alert(1)\">",
        "<svg/onload=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"></object>",
        "<embed src=\"javascript:alert(1)\">",
        "<a href=\"javascript:alert(1)\">click</a>",
        "<a href=\"  JaVaScRiPt:alert(1)\">click</a>",
        "<a href=\"data:text/html,<script>alert(1)</script>\">click</a>",
        "<body onload=alert(1)>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<form action=\"javascript:alert(1)\"><button>go</button></form>",
        "<button formaction=\"javascript:alert(1)\">go</button>",
        "<input autofocus onfocus=alert(1)>",
        "<details open ontoggle=alert(1)>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<base href=\"javascript:alert(1)//\">",
        "\"><script>alert(1)</script>",
        "'><img src=x onerror=alert(1)>",
        "\" onmouseover=\"alert(1)",
        "</textarea><script>alert(1)</script>",
        "</title><script>alert(1)</script>",
        "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
        "[click](javascript:alert(1))",
        "![x](javascript:alert(1))",
        "[click](  javascript:alert(1) \"t\")",
        "<javascript:alert(1)>",
        "[a]: javascript:alert(1)\n\n[x][a]",
        "`<script>alert(1)</script>`",
        "javascript:/*--></title></style></textarea></script><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(1)//'>",
    ];

    /// <summary>Every payload string, fixture or built-in, in a stable order.</summary>
    public static IReadOnlyList<string> All { get; } = Load();

    /// <summary>Whether <see cref="All"/> came from the shared fixture (for messages).</summary>
    public static bool FromFixture { get; private set; }

    /// <summary>
    /// Every <paramref name="step"/>-th payload plus the built-in classics: for fields where each value costs a
    /// password hash or a whole account, so the full list would make the test slow without finding more.
    /// </summary>
    public static IReadOnlyList<string> Sample(int step) =>
        [.. All.Where((_, i) => i % step == 0).Concat(BuiltIn).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Payloads joined (a blank line apart) into groups of at most <paramref name="maxCount"/> payloads and
    /// <paramref name="maxLength"/> characters, for fields that take long text.
    /// </summary>
    public static IReadOnlyList<string> Batches(int maxCount, int maxLength)
    {
        var batches = new List<string>();
        var current = new List<string>();
        var length = 0;
        foreach (var payload in All.Select(p => p.Length > maxLength ? p[..maxLength] : p))
        {
            if ((length + payload.Length + 2 > maxLength || current.Count == maxCount) && current.Count > 0)
            {
                batches.Add(string.Join("\n\n", current));
                current.Clear();
                length = 0;
            }
            current.Add(payload);
            length += payload.Length + 2;
        }
        if (current.Count > 0)
        {
            batches.Add(string.Join("\n\n", current));
        }
        return batches;
    }

    private static string[] Load()
    {
        if (RepositoryRoot.FixturesPath is not { } fixtures)
        {
            return BuiltIn;
        }
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixtures, "xss", "xss-payloads.json")));
        FromFixture = true;
        return [.. json.RootElement.GetProperty("payloads").EnumerateArray().Select(p => p.GetProperty("payload").GetString()!).Concat(BuiltIn).Distinct(StringComparer.Ordinal)];
    }
}

/// <summary>Fetches pages and feeds and fails with every unsafe thing found in them.</summary>
public static class XssPages
{
    /// <summary>GET <paramref name="url"/>, which must answer 200, and check the page; returns the page's HTML.</summary>
    public static async Task<string> CheckPageAsync(BlogClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)response.StatusCode}");
        var html = await response.Content.ReadAsStringAsync();
        AssertNoProblems(MarkupSafety.PageProblems(html), url);
        return html;
    }

    /// <summary>
    /// A form post answered with a redirect (saved) or 200/400 (refused and re-shown); never a 500. A re-shown form
    /// carries the typed text back, so it is checked like any page.
    /// </summary>
    public static async Task AssertAcceptedOrRefusedSafelyAsync(HttpResponseMessage response, string what)
    {
        Assert.True(
            response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.OK or HttpStatusCode.BadRequest,
            $"{what} answered {(int)response.StatusCode}");
        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest
            && response.Content.Headers.ContentType?.MediaType == "text/html")
        {
            AssertNoProblems(MarkupSafety.PageProblems(await response.Content.ReadAsStringAsync()), what);
        }
    }

    /// <summary>GET a feed: it must be well-formed XML, and every piece of HTML it carries must be clean.</summary>
    public static async Task CheckFeedAsync(BlogClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)response.StatusCode}");
        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync());
        var htmlPieces = feed.Descendants()
            .Where(e => (string?)e.Attribute("type") == "html" || e.Name.LocalName == "description")
            .Select(e => e.Value);
        foreach (var html in htmlPieces)
        {
            AssertNoProblems(MarkupSafety.FragmentProblems(html), url);
        }
    }

    /// <summary>
    /// Whether <paramref name="expected"/> reached the page as text: some element matching <paramref name="selector"/>
    /// holds exactly it once parsed, the HTML carries it encoded by the app's own encoder, and, when it has markup
    /// in it, never as it was typed.
    /// </summary>
    public static bool ShownEncoded(BlogAppFactory app, string html, string expected, string selector, Func<IElement, string?> read)
    {
        var encoded = app.Services.GetRequiredService<HtmlEncoder>().Encode(expected);
        return BlogClient.Parse(html).QuerySelectorAll(selector).Any(element => read(element) == expected)
            && html.Contains(encoded, StringComparison.Ordinal)
            && !(expected.Contains('<', StringComparison.Ordinal) && html.Contains(expected, StringComparison.Ordinal));
    }

    /// <summary>A typed value as the app binds it: control characters other than tabs and line breaks dropped, trimmed.</summary>
    public static string AsBound(string typed) => CleanTextModelBinder.Clean(typed).Trim();

    private static void AssertNoProblems(IReadOnlyList<string> problems, string where) =>
        Assert.True(problems.Count == 0, $"{where}:\n" + string.Join("\n", problems));
}
