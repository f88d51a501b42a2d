using System.Text;
using System.Text.RegularExpressions;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Blog.Web.Tests.Browser;

public sealed partial class MediaBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Before = "The harbour at first light.";
    private const string After = "Then the boats came in.";

    [Fact]
    public async Task AnAuthorAddsPicturesFromTheEditorByTheDialogByPastingAndByDroppingAndNoTextIsLost()
    {
        var author = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Author);
        var page = await browser.NewPageAsync();
        var problems = new PageProblems(page);
        await BrowserFixture.SignInAsync(page, author.Email!);
        await page.GotoAsync("/admin/posts/new");
        var body = page.GetByLabel("Body (Markdown)");
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync("Pictures of the harbour");
        await body.FillAsync(Before + "\n\n" + After);
        await body.EvaluateAsync($"(b) => b.setSelectionRange({Before.Length}, {Before.Length})");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add picture…" }).ClickAsync();
        var dialog = page.Locator("#picture-dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await page.SetInputFilesAsync("#picture-file", new FilePayload { Name = "harbour.jpg", MimeType = "image/jpeg", Buffer = TestImages.Jpeg(1200, 800) });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Upload and insert" }).ClickAsync();
        var missingAlt = await page.Locator("#picture-error").TextContentAsync();
        await dialog.GetByLabel("Description (alt text)").FillAsync("Boats moored in a calm harbour");
        await BrowserFixture.ScreenshotAsync(page, "editor-picture-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Upload and insert" }).ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        var afterDialog = await body.InputValueAsync();
        await page.Locator("#preview-body img").First.WaitForAsync();

        await DispatchFileAsync(page, "paste", TestImages.Png(600, 400, transparent: true), "pasted.png", "image/png");
        await Assertions.Expect(dialog.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Add “pasted.png”");
        await dialog.GetByLabel("Decorative", new() { Exact = false }).CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Upload and insert" }).ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await body.EvaluateAsync("(b) => b.setSelectionRange(b.value.length, b.value.length)");
        await DispatchFileAsync(page, "drop", Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"), "sneaky.jpg", "image/jpeg");
        await dialog.GetByLabel("Description (alt text)").FillAsync("Not a picture at all");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Upload and insert" }).ClickAsync();
        await Assertions.Expect(page.Locator("#picture-error")).Not.ToBeEmptyAsync();
        var refusal = await page.Locator("#picture-error").TextContentAsync();
        await BrowserFixture.ScreenshotAsync(page, "editor-picture-refused");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        var finalText = await body.InputValueAsync();
        await page.GetByLabel("Cover picture").SelectOptionAsync(new SelectOptionValue { Label = "Boats moored in a calm harbour" });
        var coverShown = await page.Locator("#cover-preview img").GetAttributeAsync("src");

        Assert.Contains("Describe the picture", missingAlt, StringComparison.Ordinal);
        var first = ImageMarkdown().Match(afterDialog);
        Assert.True(first.Success, afterDialog);
        Assert.Equal($"{Before}\n\n![Boats moored in a calm harbour](/media/{first.Groups["hash"].Value}-1200.jpg)\n\n{After}", afterDialog);
        // The pasted picture went where the cursor was left: just after the first one.
        Assert.Matches($@"^{Regex.Escape(Before)}\n\n{Regex.Escape(first.Value)}\n\n!\[\]\(/media/[0-9a-f]{{20}}-600\.png\)\n\n{Regex.Escape(After)}$", finalText);
        Assert.DoesNotContain("sneaky", finalText, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(refusal));
        Assert.Equal($"/media/{first.Groups["hash"].Value}-480.jpg", coverShown);
        // The refused upload answers 400 by design; nothing else may fail.
        Assert.Empty(Unexpected(problems));
    }

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task WithoutJavaScriptTheUploadFormShowsThePictureAndTheMarkdownToCopyAndTheLibraryFits(int width)
    {
        var author = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Author, displayName: "Nora Nojs");
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = browser.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            JavaScriptEnabled = false,
        });
        var page = await context.NewPageAsync();
        var problems = new PageProblems(page);
        await BrowserFixture.SignInAsync(page, author.Email!);

        await page.GotoAsync("/admin/posts/new");
        var uploadLink = await page.GetByRole(AriaRole.Link, new() { Name = "Upload a picture in a new tab" }).GetAttributeAsync("href");
        var addButtonHidden = await page.Locator("#add-picture").IsHiddenAsync();
        await page.GotoAsync("/admin/media");
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        var fileError = await page.Locator("#file-error").TextContentAsync();
        await page.SetInputFilesAsync("#file", new FilePayload { Name = $"quay-{width}.jpg", MimeType = "image/jpeg", Buffer = TestImages.Jpeg(1000 + width, 700) });
        await page.GetByLabel("Description (alt text)").FillAsync("The quay at noon");
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await page.Locator("#markdown").WaitForAsync();
        await page.Locator(".media-thumb img").EvaluateAsync("(img) => img.decode()");
        await BrowserFixture.ScreenshotAsync(page, $"media-uploaded-nojs-{width}");
        var heading = await page.Locator("h1").TextContentAsync();
        var markdown = await page.Locator("#markdown").InputValueAsync();
        var uploadedOverflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        await page.GotoAsync("/admin/media");
        await page.Locator(".media-thumb img").First.EvaluateAsync("(img) => img.decode()");
        await BrowserFixture.ScreenshotAsync(page, $"media-library-{width}");
        var libraryOverflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        var listed = await page.Locator(".media-item").First.InnerTextAsync();

        Assert.Equal("/admin/media#upload", uploadLink);
        Assert.True(addButtonHidden, "Without JavaScript the editor shows an \"Add picture\" button that cannot work.");
        Assert.Equal("Choose a picture to upload.", fileError);
        Assert.Equal("Picture added", heading);
        Assert.Matches(@"^!\[The quay at noon\]\(/media/[0-9a-f]{20}-\d+\.jpg\)$", markdown);
        Assert.True(uploadedOverflow <= 0, $"The upload result scrolls sideways by {uploadedOverflow}px at {width}px.");
        Assert.True(libraryOverflow <= 0, $"The library scrolls sideways by {libraryOverflow}px at {width}px.");
        Assert.Contains("The quay at noon", listed, StringComparison.Ordinal);
        Assert.Contains("Nora Nojs", listed, StringComparison.Ordinal);
        // The first, empty upload answers 400 by design; nothing else may fail.
        Assert.Empty(Unexpected(problems));
    }

    /// <summary>
    /// The page's problems but the refused upload, whose 400 answer the browser reports as a failed load, and picture
    /// loads the browser itself abandoned when the live preview replaced its HTML while they were under way.
    /// </summary>
    private static List<string> Unexpected(PageProblems problems) =>
        [.. problems.All
            .Where(problem => !(problem.StartsWith("request failed: ", StringComparison.Ordinal) && problem.Contains("/media/", StringComparison.Ordinal) && problem.Contains("net::ERR_ABORTED", StringComparison.Ordinal)))
            .Where(problem => !problem.StartsWith("HTTP 400: ", StringComparison.Ordinal) || !problem.EndsWith("/admin/media", StringComparison.Ordinal))
            .Where(problem => !problem.Contains("the server responded with a status of 400", StringComparison.Ordinal))];

    /// <summary>What the browser does when a file is pasted into, or dropped onto, the body.</summary>
    private static async Task DispatchFileAsync(IPage page, string eventName, byte[] content, string name, string type) =>
        await page.EvaluateAsync("""
            ([eventName, base64, name, type]) => {
              const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
              const data = new DataTransfer();
              data.items.add(new File([bytes], name, { type }));
              const body = document.getElementById("Body");
              const init = { bubbles: true, cancelable: true };
              if (eventName === "paste") {
                body.dispatchEvent(new ClipboardEvent("paste", { ...init, clipboardData: data }));
              } else {
                body.dispatchEvent(new DragEvent("dragover", { ...init, dataTransfer: data }));
                body.dispatchEvent(new DragEvent("drop", { ...init, dataTransfer: data }));
              }
            }
            """, new object[] { eventName, Convert.ToBase64String(content), name, type });

    [GeneratedRegex(@"!\[[^\]]*\]\(/media/(?<hash>[0-9a-f]{20})-\d+\.jpg\)")]
    private static partial Regex ImageMarkdown();
}
