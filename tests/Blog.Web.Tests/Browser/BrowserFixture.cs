using Blog.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Blog.Web.Tests.Browser;

/// <summary>
/// The app on a real Kestrel port plus Debian's Chromium driven by Playwright. One per test class: each
/// class gets its own blog and browser, and each test its own browser context (cookies, viewport).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium; tests/run.sh installs it. QUIRE_CHROMIUM points elsewhere if needed.</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("QUIRE_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public BlogAppFactory App { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public static string ScreenshotFolder { get; } =
        Path.Combine(RepositoryRoot.Path, "tests", "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Browser tests need Chromium at {ChromiumPath}. Install it with: sudo apt-get install -y chromium");
        }
        // A browser test may post more comments in a minute than a person would.
        App.Settings["Blog:Comments:PerMinute"] = "10000";
        // The port is chosen when Kestrel starts, so the blog has no configured address: its links use the one it
        // listens on, which the browser opens.
        App.Settings["Blog:BaseUrl"] = "";
        App.UseKestrel(0);
        App.StartServer();
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        App.ClientOptions.BaseAddress = BaseAddress;

        // Same patience for web-first assertions (Expect) as for actions, for the same reason as in NewPageAsync.
        Assertions.SetDefaultExpectTimeout(90_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>A fresh browser context (no cookies) at the given viewport and colour scheme.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900, ColorScheme colorScheme = ColorScheme.Light, bool bypassCsp = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = colorScheme,
            // Only for injecting test tooling (axe-core) into pages; the app's own pages never need it.
            BypassCSP = bypassCsp,
        });
        // Tests run in parallel on small machines (CI has two cores shared by several apps, Chromium and
        // the HTML checker's JVM): allow slow answers rather than fail on Playwright's 30-second default.
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Opens the sign-in page (asking to come back to <paramref name="returnUrl"/>, if given), signs in as a
    /// person would, and waits until the answer is a signed-in page.
    /// </summary>
    public static async Task SignInAsync(IPage page, string email, string password = BlogClient.Password, string? returnUrl = null)
    {
        await page.GotoAsync(returnUrl is null ? "/account/sign-in" : "/account/sign-in?returnUrl=" + Uri.EscapeDataString(returnUrl));
        await SubmitSignInFormAsync(page, email, password);
    }

    /// <summary>
    /// Fills in and submits the sign-in form already on the page (reached by a link, say) and waits until the
    /// answer is a signed-in page. It waits for the page's sign-out form rather than for a URL and a load
    /// event: on a loaded machine the load event of the redirected page can come long after its content.
    /// </summary>
    public static async Task SubmitSignInFormAsync(IPage page, string email, string password = BlogClient.Password)
    {
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.Locator("main").GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        try
        {
            await page.Locator("form[action='/account/sign-out']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        }
        catch (TimeoutException)
        {
            // Say what the page said instead of only "timeout", so a failure here can be understood.
            throw new InvalidOperationException($"Signing in as {email} stayed on {page.Url}: {await page.Locator("main").InnerTextAsync()}");
        }
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}
