using Microsoft.Playwright;

namespace Blog.Web.Tests.Browser;

/// <summary>Collects what a reader would never want to see behind a page: console errors and failed requests.</summary>
public sealed class PageProblems
{
    private readonly List<string> _problems = [];

    public PageProblems(IPage page)
    {
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                _problems.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => _problems.Add($"page error: {error}");
        page.RequestFailed += (_, request) => _problems.Add($"request failed: {request.Url} {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                _problems.Add($"HTTP {response.Status}: {response.Url}");
            }
        };
    }

    public IReadOnlyList<string> All => _problems;
}
