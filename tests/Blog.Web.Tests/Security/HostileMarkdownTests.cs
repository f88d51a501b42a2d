using System.Globalization;
using System.Net;
using AngleSharp.Html.Dom;
using Blog.Web.Content;
using Blog.Web.Features.Comments;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Blog.Web.Tests.Content;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Blog.Web.Tests.Security;

/// <summary>
/// Every case of <see cref="HostileMarkdown"/> goes into every Markdown field through the real forms: a new comment,
/// a comment's edit, a post's and a page's body (saved and previewed) and the editor's live preview. None may
/// answer a 500. Each is either accepted, and then the page that shows it passes <see cref="MarkupSafety"/>, or
/// refused with a message and the form shown again holding exactly what was typed, with nothing stored.
/// </summary>
public sealed class HostileMarkdownTests(HostileMarkdownTests.App app) : IClassFixture<HostileMarkdownTests.App>
{
    /// <summary>Cases nested past the parser's limit (the first three crashed a comment once): they must be refused.</summary>
    private static readonly HashSet<string> TooDeep =
        ["quotes-130", "spaced-quotes-200", "brackets-200", "list-markers-200", "ordered-markers-100", "indented-lists-80", "nested-images"];

    /// <summary>The real app, an owner and a member signed in once for the whole class, and a post to comment on.</summary>
    public sealed class App : BlogAppFactory, IAsyncLifetime
    {
        public App() => Settings["Blog:Comments:PerMinute"] = "10000";

        public BlogClient Owner { get; private set; } = null!;

        public BlogClient Member { get; private set; } = null!;

        public string OwnerToken { get; private set; } = "";

        public string MemberToken { get; private set; } = "";

        public long PostId { get; private set; }

        public int CommentMaxLength => Services.GetRequiredService<IOptions<CommentOptions>>().Value.MaxLength;

        public int BodyMaxLength => Services.GetRequiredService<IOptions<ContentOptions>>().Value.MaxBodyLength;

        public async Task InitializeAsync()
        {
            (Owner, _) = await BlogClient.SignedInAsync(this, MemberRole.Owner);
            (Member, _) = await BlogClient.SignedInAsync(this, MemberRole.Member);
            OwnerToken = await Owner.AntiforgeryTokenAsync("/admin/posts/new");
            MemberToken = await Member.AntiforgeryTokenAsync("/account");
            PostId = await CommentTestData.CreatePostAsync(this, DateTime.UtcNow.AddDays(-1));
        }

        Task IAsyncLifetime.DisposeAsync()
        {
            Owner.Dispose();
            Member.Dispose();
            return Task.CompletedTask;
        }
    }

    public static TheoryData<string> Cases => [.. HostileMarkdown.Names];

    [Fact]
    public void EveryCaseFitsTheFieldItIsBuiltFor()
    {
        foreach (var max in new[] { app.CommentMaxLength, app.BodyMaxLength })
        {
            foreach (var name in HostileMarkdown.Names)
            {
                var length = HostileMarkdown.Build(name, max).Length;

                Assert.True(name == HostileMarkdown.OverTheLimit ? length == max + 1 : length <= max, $"{name}: {length} characters for a limit of {max}");
            }
        }
        Assert.Equal(app.CommentMaxLength, HostileMarkdown.Build(HostileMarkdown.AtTheLimit, app.CommentMaxLength).Length);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ANewComment(string name)
    {
        var text = HostileMarkdown.Build(name, app.CommentMaxLength);
        var before = await DatabaseSnapshot.TakeAsync(app);

        using var response = await app.Member.Http.PostAsync("/comments", Form(app.MemberToken, ("PostId", Id(app.PostId)), ("Body", text)));

        await AssertAcceptedOrRefusedAsync(name, text, response, HttpStatusCode.BadRequest, before, app.Member, FormErrors);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AnEditedComment(string name)
    {
        var text = HostileMarkdown.Build(name, app.CommentMaxLength);
        var id = await CommentTestData.CommentIdAsync(app.Member, app.PostId, "Before the edit.");
        var before = await DatabaseSnapshot.TakeAsync(app);

        using var response = await app.Member.Http.PostAsync($"/comments/{Id(id)}/edit", Form(app.MemberToken, ("Body", text)));

        await AssertAcceptedOrRefusedAsync(name, text, response, HttpStatusCode.BadRequest, before, app.Member, FormErrors);
    }

    public static TheoryData<string, string> CasesForPostsAndPages
    {
        get
        {
            var cases = new TheoryData<string, string>();
            foreach (var name in HostileMarkdown.Names)
            {
                cases.Add("post", name);
                cases.Add("page", name);
            }
            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(CasesForPostsAndPages))]
    public async Task ASavedPostOrPage(string kind, string name)
    {
        var text = HostileMarkdown.Build(name, app.BodyMaxLength);
        var (id, slug) = PostSeeder.Insert(app, new SeedPost { Kind = kind, Title = $"Hostile {kind} {name}" });
        var before = await DatabaseSnapshot.TakeAsync(app);

        using var response = await SaveAsync(kind + "s", id, slug, text, "save");

        await AssertAcceptedOrRefusedAsync(name, text, response, HttpStatusCode.OK, before, app.Owner, BodyError);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task APreviewedPost(string name)
    {
        var text = HostileMarkdown.Build(name, app.BodyMaxLength);
        var (id, slug) = PostSeeder.Insert(app, new SeedPost { Title = "Previewed post " + name });
        var before = await DatabaseSnapshot.TakeAsync(app);

        using var response = await SaveAsync("posts", id, slug, text, "preview");
        var html = await response.Content.ReadAsStringAsync();
        var page = BlogClient.Parse(html);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(app));
        Assert.Equal(Typed(text), page.QuerySelector("textarea[name=Body]")!.TextContent);
        var error = BodyError(page);
        Assert.True((error is null) != page.QuerySelector("#preview")!.HasAttribute("hidden"),
            $"{name}: the editor must show either the preview or a message, not both or neither (message: {error})");
        AssertExpectedOutcome(name, accepted: error is null, error);
        AssertNoProblems(MarkupSafety.PageProblems(html), name);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task TheLivePreview(string name)
    {
        var text = HostileMarkdown.Build(name, app.BodyMaxLength);

        using var response = await app.Owner.Http.PostAsync("/admin/preview", Form(app.OwnerToken, ("body", text)));
        var answer = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{name}: answered {(int)response.StatusCode}");
        var accepted = response.StatusCode == HttpStatusCode.OK;
        AssertExpectedOutcome(name, accepted, accepted ? null : answer);
        if (accepted)
        {
            AssertNoProblems(MarkupSafety.FragmentProblems(answer), name);
        }
    }

    /// <summary>
    /// A NUL character cannot be read from a form at all (ASP.NET Core's form reader refuses it), so every Markdown
    /// field answers the friendly 400 page for it: not a 500, and nothing stored.
    /// </summary>
    [Fact]
    public async Task ANulCharacterInAnyMarkdownFieldIsABadRequestThatStoresNothing()
    {
        const string text = "before\0after";
        var commentId = await CommentTestData.CommentIdAsync(app.Member, app.PostId, "Before the edit.");
        var (postId, slug) = PostSeeder.Insert(app, new SeedPost { Title = "A post for a NUL" });
        var before = await DatabaseSnapshot.TakeAsync(app);

        using var comment = await app.Member.Http.PostAsync("/comments", Form(app.MemberToken, ("PostId", Id(app.PostId)), ("Body", text)));
        using var edit = await app.Member.Http.PostAsync($"/comments/{Id(commentId)}/edit", Form(app.MemberToken, ("Body", text)));
        using var post = await SaveAsync("posts", postId, slug, text, "save");
        using var preview = await app.Owner.Http.PostAsync("/admin/preview", Form(app.OwnerToken, ("body", text)));

        Assert.All(new[] { comment, edit, post, preview }, response => Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode));
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(app));
    }

    /// <summary>
    /// Saved: the page that shows the text must be clean. Refused: the expected status, a message, exactly what was
    /// typed back in the form, and the database as it was.
    /// </summary>
    private async Task AssertAcceptedOrRefusedAsync(
        string name, string text, HttpResponseMessage response, HttpStatusCode refusedStatus, string before, BlogClient client,
        Func<IHtmlDocument, string?> errorOf)
    {
        Assert.True(response.StatusCode is HttpStatusCode.Redirect || response.StatusCode == refusedStatus, $"{name}: answered {(int)response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            AssertExpectedOutcome(name, accepted: true, error: null);
            await XssPages.CheckPageAsync(client, await PublicAddressAsync(client, response.Headers.Location!.OriginalString));
            return;
        }
        var html = await response.Content.ReadAsStringAsync();
        var page = BlogClient.Parse(html);
        var error = errorOf(page);
        AssertExpectedOutcome(name, accepted: false, error);
        Assert.Equal(Typed(text), page.QuerySelector("textarea[name=Body]")!.TextContent);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(app));
        AssertNoProblems(MarkupSafety.PageProblems(html), name);
    }

    /// <summary>What must happen to the cases whose outcome is known; the others may go either way, as long as safely.</summary>
    private static void AssertExpectedOutcome(string name, bool accepted, string? error)
    {
        Assert.True(accepted || !string.IsNullOrWhiteSpace(error), $"{name}: refused without a message");
        if (TooDeep.Contains(name))
        {
            Assert.False(accepted, $"{name} was accepted");
            Assert.Equal(MarkdownGuard.TooDeep(new ContentOptions().MaxNestingDepth), error);
        }
        else if (name == HostileMarkdown.OverTheLimit)
        {
            Assert.False(accepted, $"{name} was accepted");
            Assert.Contains("characters", error, StringComparison.Ordinal);
        }
        else if (name == HostileMarkdown.AtTheLimit)
        {
            Assert.True(accepted, $"{name} was refused: {error}");
        }
    }

    /// <summary>Where a saved text is shown to readers: the comment's own address, or the post or page the editor links to.</summary>
    private static async Task<string> PublicAddressAsync(BlogClient client, string location)
    {
        if (!location.StartsWith("/admin/", StringComparison.Ordinal))
        {
            return location.Split('#')[0];
        }
        var editor = await client.GetPageAsync(location);
        return editor.QuerySelector(".editor-state a")?.GetAttribute("href") ?? throw new InvalidOperationException("No public link on " + location);
    }

    private Task<HttpResponseMessage> SaveAsync(string section, long id, string slug, string body, string command) =>
        app.Owner.Http.PostAsync($"/admin/{section}/{Id(id)}/edit", Form(app.OwnerToken,
            ("Title", "A hostile body"), ("Slug", slug), ("Body", body), ("Labels", ""), ("AllowComments", "true"), ("Command", command),
            // A seeded post is at its first version, which the editor sends back with every save.
            ("Version", "1")));

    private static FormUrlEncodedContent Form(string token, params (string Name, string Value)[] fields) =>
        new(fields.Select(field => KeyValuePair.Create(field.Name, field.Value)).Append(KeyValuePair.Create(BlogClient.AntiforgeryField, token)));

    /// <summary>The text as the form gets it back: the app drops control characters other than tabs and line breaks.</summary>
    private static string Typed(string text) => CleanTextModelBinder.Clean(text);

    private static string? FormErrors(IHtmlDocument page) =>
        page.QuerySelector(".form-errors li")?.TextContent is { Length: > 0 } message ? message : null;

    private static string? BodyError(IHtmlDocument page) =>
        page.QuerySelector("#Body-error")?.TextContent is { Length: > 0 } message ? message : null;

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static void AssertNoProblems(IReadOnlyList<string> problems, string name) =>
        Assert.True(problems.Count == 0, $"{name}:\n" + string.Join("\n", problems));
}
