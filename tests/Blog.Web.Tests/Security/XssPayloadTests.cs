using System.Globalization;
using System.Net;
using AngleSharp.Html.Dom;
using Blog.Web.Features.Comments;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Security;

/// <summary>
/// Every payload of the XSS list goes into every text field a person can set, through the real forms, and
/// every page that shows the field is then parsed and checked (<see cref="MarkupSafety"/>): no script beyond
/// the app's own files, no event handlers, no script or data addresses, no frames, objects or SVG.
/// </summary>
/// <remarks>
/// Cost decides how the list is spread. Cheap fields (search box, settings, display name on the account page) take
/// the full list one payload per request. Post bodies take it a few payloads per post; a post's one-line fields
/// (title, subtitle, labels, slug) take every 4th payload plus the classics, since each post means a dozen pages. Comment bodies take it in batches of several payloads per comment (the
/// field holds 10,000 characters). Display names shown beside comments need one account per name, and each
/// account costs password hashing, so those pages see a sample (every 25th payload plus the classic vectors);
/// the full list of names is still saved through the form and shown on the account page.
/// Each class hosts its own app, so the three run side by side.
/// </remarks>
public sealed class XssSearchAndSettingsTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    [Fact]
    public async Task SearchBoxPayloadsComeBackInert()
    {
        PostSeeder.Insert(app, new SeedPost { Title = "Script alert onerror", BodyHtml = "<p>alert script img svg javascript onerror iframe</p>" });
        using var client = new BlogClient(app);

        foreach (var payload in XssPayloads.All)
        {
            var html = await XssPages.CheckPageAsync(client, "/search?q=" + Uri.EscapeDataString(payload));

            // Every query is answered, and what was searched for is shown back as text in the search box.
            var shown = XssPages.ShownEncoded(app, html, XssPages.AsBound(payload), "#search-page-q", box => box.GetAttribute("value"));
            Assert.True(shown, "The search box does not show the query " + payload);
        }
    }

    [Fact]
    public async Task SettingsPayloadsComeBackInert()
    {
        var (postId, _) = PostSeeder.Insert(app, new SeedPost { Title = "An ordinary post", Labels = ["plain"] });
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var _owner = owner;
        var token = await owner.AntiforgeryTokenAsync("/admin/settings");

        foreach (var payload in XssPayloads.All)
        {
            using var response = await SaveSettingsAsync(owner, token, payload, payload, payload);
            await XssPages.AssertAcceptedOrRefusedSafelyAsync(response, "settings " + payload);
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                // Refused (too long, or not a date format): save what fits, so the pages still show the payload.
                using var clipped = await SaveSettingsAsync(owner, token, Clip(payload, 100), Clip(payload, 300), "d MMMM yyyy");
                await XssPages.AssertAcceptedOrRefusedSafelyAsync(clipped, "clipped settings " + payload);
            }
            await XssPages.CheckPageAsync(owner, "/");
        }

        using var reader = new BlogClient(app);
        await XssPages.CheckPageAsync(reader, "/");
        await XssPages.CheckPageAsync(reader, "/search?q=ordinary");
        await XssPages.CheckPageAsync(reader, "/search/label/plain");
        await XssPages.CheckPageAsync(owner, "/admin/settings");
        await XssPages.CheckFeedAsync(reader, "/feeds/posts/default");
        await XssPages.CheckFeedAsync(reader, "/feeds/posts/default?alt=rss");
        Assert.True(postId > 0);
    }

    private static Task<HttpResponseMessage> SaveSettingsAsync(BlogClient owner, string token, string title, string description, string dateFormat) =>
        owner.Http.PostAsync("/admin/settings", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Title"] = title,
            ["Description"] = description,
            ["PostsPerPage"] = "10",
            ["TimeZone"] = "UTC",
            ["DateFormat"] = dateFormat,
            [BlogClient.AntiforgeryField] = token,
        }));

    /// <summary>
    /// What of a refused payload a form will take: cut to the field's length, without NUL (which the app refuses
    /// outright with a 400, by design).
    /// </summary>
    internal static string Clip(string text, int length)
    {
        text = text.Replace("\0", "", StringComparison.Ordinal);
        return text.Length > length ? text[..length] : text;
    }
}

public sealed class XssPostFieldTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    [Fact]
    public async Task PostFieldPayloadsAreInertOnEveryPageThatShowsThem()
    {
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var _owner = owner;
        var token = await owner.AntiforgeryTokenAsync("/admin/posts/new");
        var postIds = new List<long>();
        // Each post is a dozen page loads later, so the one-line fields see a sample, while the bodies carry the
        // whole list, a few payloads each.
        var sample = XssPayloads.Sample(step: 4);
        var bodies = XssPayloads.Batches(maxCount: 4, maxLength: 20_000);

        for (var i = 0; i < Math.Max(sample.Count, bodies.Count); i++)
        {
            var payload = sample[i % sample.Count];
            var body = bodies[i % bodies.Count];
            using var response = await PublishAsync(owner, token, payload, payload, body, payload + " " + i.ToString(CultureInfo.InvariantCulture), payload);
            await XssPages.AssertAcceptedOrRefusedSafelyAsync(response, "post " + payload);
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                postIds.Add(IdOf(response));
                continue;
            }
            // Refused (too long, labels too long, nothing usable in the slug): publish what fits instead.
            using var clipped = await PublishAsync(owner, token,
                XssSearchAndSettingsTests.Clip(payload, 200), XssSearchAndSettingsTests.Clip(payload, 300), XssSearchAndSettingsTests.Clip(body, 100_000), "", "");
            await XssPages.AssertAcceptedOrRefusedSafelyAsync(clipped, "clipped post " + payload);
            Assert.True(clipped.StatusCode == HttpStatusCode.Redirect, $"Even the clipped post was refused ({(int)clipped.StatusCode}): {payload}\n{await ErrorsAsync(clipped)}");
            postIds.Add(IdOf(clipped));
        }

        using var reader = new BlogClient(app);
        var postUrls = new HashSet<string>();
        var labelUrls = new HashSet<string>();
        var archiveUrls = new HashSet<string>();
        for (var url = "/"; url is not null;)
        {
            var page = BlogClient.Parse(await XssPages.CheckPageAsync(reader, url));
            Collect(page, postUrls, labelUrls, archiveUrls);
            url = page.QuerySelector("a[rel=next]")?.GetAttribute("href");
        }
        Assert.Equal(postIds.Count, postUrls.Count);
        foreach (var url in postUrls)
        {
            Collect(BlogClient.Parse(await XssPages.CheckPageAsync(reader, url)), [], labelUrls, archiveUrls);
        }
        archiveUrls.Add("/" + DateTime.UtcNow.Year.ToString(CultureInfo.InvariantCulture));
        foreach (var url in labelUrls.Concat(archiveUrls))
        {
            await XssPages.CheckPageAsync(reader, url);
        }
        foreach (var word in new[] { "script", "alert", "img", "svg", "javascript", "onerror", "iframe", "xss" })
        {
            await XssPages.CheckPageAsync(reader, "/search?q=" + word);
        }
        await XssPages.CheckFeedAsync(reader, "/feeds/posts/default");
        await XssPages.CheckFeedAsync(reader, "/feeds/posts/default?alt=rss");
        foreach (var label in labelUrls.Take(40))
        {
            await XssPages.CheckFeedAsync(reader, "/feeds/posts/default/-/" + label["/search/label/".Length..]);
        }
        for (var page = 1; page <= (postIds.Count / 20) + 1; page++)
        {
            await XssPages.CheckPageAsync(owner, "/admin/posts?page=" + page.ToString(CultureInfo.InvariantCulture));
        }
        // The editor shows the same stored fields as the pages above, in inputs; a sample keeps the test quick.
        foreach (var id in postIds.Where((_, i) => i % 10 == 0))
        {
            await XssPages.CheckPageAsync(owner, $"/admin/posts/{id}/edit");
        }
        Assert.True(labelUrls.Count > 0, "Found no label links to follow");
    }

    private static Task<HttpResponseMessage> PublishAsync(BlogClient owner, string token, string title, string subtitle, string body, string slug, string labels) =>
        owner.Http.PostAsync("/admin/posts/new", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Title"] = title,
            ["Subtitle"] = subtitle,
            ["Body"] = body,
            ["Slug"] = slug,
            ["Labels"] = labels,
            ["AllowComments"] = "true",
            ["Command"] = "publish",
            [BlogClient.AntiforgeryField] = token,
        }));

    /// <summary>The messages a re-shown form gives, for a failure message worth reading.</summary>
    private static async Task<string> ErrorsAsync(HttpResponseMessage response) =>
        string.Join("\n", BlogClient.Parse(await response.Content.ReadAsStringAsync())
            .QuerySelectorAll(".form-errors li, .field-validation-error, [id$='-error']")
            .Select(e => e.TextContent.Trim()));

    private static long IdOf(HttpResponseMessage response) =>
        long.Parse(response.Headers.Location!.OriginalString.Split('/')[3], CultureInfo.InvariantCulture);

    private static void Collect(IHtmlDocument page, HashSet<string> posts, HashSet<string> labels, HashSet<string> archive)
    {
        foreach (var href in page.QuerySelectorAll("main a[href], aside a[href]").Select(a => a.GetAttribute("href")!))
        {
            if (href.StartsWith("/search/label/", StringComparison.Ordinal))
            {
                labels.Add(href);
            }
            else if (System.Text.RegularExpressions.Regex.IsMatch(href, @"^/\d{4}/\d{2}/[a-z0-9-]+$"))
            {
                posts.Add(href);
            }
            else if (System.Text.RegularExpressions.Regex.IsMatch(href, @"^/\d{4}(/\d{2})?/?$"))
            {
                archive.Add(href);
            }
        }
    }
}

public sealed class XssCommentAndNameTests : IClassFixture<XssCommentAndNameTests.App>
{
    private readonly App _app;

    public XssCommentAndNameTests(App app) => _app = app;

    /// <summary>The real app with the per-member comment limit raised: one member posts the whole list.</summary>
    public sealed class App : BlogAppFactory
    {
        public App() => Settings["Blog:Comments:PerMinute"] = "10000";
    }

    [Fact]
    public async Task CommentPayloadsAreInertWhereverCommentsShow()
    {
        var (member, _) = await BlogClient.SignedInAsync(_app, MemberRole.Member);
        using var _member = member;
        var (owner, _) = await BlogClient.SignedInAsync(_app, MemberRole.Owner);
        using var _owner = owner;
        var token = await member.AntiforgeryTokenAsync("/account");
        var batches = XssPayloads.Batches(maxCount: 8, maxLength: 9_000);
        var posts = new List<(long Id, string Url)>();
        var commentIds = new List<long>();

        for (var i = 0; i < batches.Count; i++)
        {
            // Forty comments a post keeps each post's comments on its first page.
            if (i % 40 == 0)
            {
                posts.Add(await PostAsync());
            }
            using var response = await member.Http.PostAsync("/comments", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["PostId"] = posts[^1].Id.ToString(CultureInfo.InvariantCulture),
                ["Body"] = batches[i],
                [BlogClient.AntiforgeryField] = token,
            }));
            await XssPages.AssertAcceptedOrRefusedSafelyAsync(response, "comment " + batches[i]);
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                commentIds.Add(CommentTestData.IdFromLocation(response));
            }
        }

        Assert.True(commentIds.Count >= batches.Count * 9 / 10, $"Only {commentIds.Count} of {batches.Count} comments were accepted");
        using var reader = new BlogClient(_app);
        foreach (var (id, url) in posts)
        {
            await XssPages.CheckPageAsync(reader, url);
            await XssPages.CheckPageAsync(member, url);
            await XssPages.CheckFeedAsync(reader, $"/feeds/{id}/comments/default");
        }
        await XssPages.CheckFeedAsync(reader, "/feeds/comments/default");
        await XssPages.CheckPageAsync(owner, "/admin/moderation");
        foreach (var id in commentIds)
        {
            await XssPages.CheckPageAsync(member, $"/comments/{id}/edit");
        }
    }

    [Fact]
    public async Task DisplayNamePayloadsAreInertOnTheAccountPage()
    {
        var (member, _) = await BlogClient.SignedInAsync(_app, MemberRole.Member);
        using var _member = member;
        var token = await member.AntiforgeryTokenAsync("/account/display-name");

        var accepted = 0;

        foreach (var payload in XssPayloads.All)
        {
            using var response = await ChangeNameAsync(member, token, payload);
            var name = XssPages.AsBound(payload);

            await XssPages.AssertAcceptedOrRefusedSafelyAsync(response, "display name " + payload);
            Assert.Equal(ExpectedNameOutcome(payload), response.StatusCode);
            var account = await XssPages.CheckPageAsync(member, "/account");
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                accepted++;
                Assert.True(XssPages.ShownEncoded(_app, account, name, ".account-summary dd", dd => dd.TextContent), "The account page does not show the name " + payload);
            }
            else if (response.StatusCode == HttpStatusCode.OK)
            {
                // Refused for its length: the form comes back holding what was typed.
                var form = await response.Content.ReadAsStringAsync();
                Assert.True(XssPages.ShownEncoded(_app, form, name, "input[name=DisplayName]", input => input.GetAttribute("value")?.Trim()), "The form lost the name " + payload);
            }
        }

        Assert.True(accepted >= XssPayloads.All.Count / 3, $"Only {accepted} of {XssPayloads.All.Count} names were accepted");
    }

    /// <summary>
    /// Saved when it fits (the app drops control characters and trims), re-shown with a message when too long;
    /// a NUL makes the whole form unreadable, a 400.
    /// </summary>
    private static HttpStatusCode ExpectedNameOutcome(string payload) =>
        payload.Contains('\0', StringComparison.Ordinal) ? HttpStatusCode.BadRequest
        : XssPages.AsBound(payload).Length is > 0 and <= Member.DisplayNameMaxLength ? HttpStatusCode.Redirect
        : HttpStatusCode.OK;

    [Fact]
    public async Task DisplayNamePayloadsAreInertBesideCommentsAndInTheOwnersLists()
    {
        var (owner, _) = await BlogClient.SignedInAsync(_app, MemberRole.Owner);
        using var _owner = owner;
        var (postId, postUrl) = await PostAsync();
        var held = await PostAsync(ageDays: 60);

        var names = new List<string>();
        foreach (var payload in XssPayloads.Sample(step: 25))
        {
            var (member, _) = await BlogClient.SignedInAsync(_app, MemberRole.Member);
            using var _member = member;
            var token = await member.AntiforgeryTokenAsync("/account/display-name");
            var name = XssSearchAndSettingsTests.Clip(payload, Member.DisplayNameMaxLength);
            using var renamed = await ChangeNameAsync(member, token, name);
            Assert.True(renamed.StatusCode == HttpStatusCode.Redirect, "Display name refused: " + payload);
            names.Add(XssPages.AsBound(name));
            await CommentTestData.CommentIdAsync(member, postId, "A plain comment.");
            // Comments on old posts wait in the moderation queue, which shows the writer's name.
            await CommentTestData.CommentIdAsync(member, held.Id, "A comment for the queue.");
        }

        using var reader = new BlogClient(_app);
        var commentPages = new List<string>();
        for (var page = 1; page <= (names.Count / new CommentOptions().PageSize) + 1; page++)
        {
            commentPages.Add(await XssPages.CheckPageAsync(reader, $"{postUrl}?commentPage={page}"));
        }
        Assert.All(names, name => Assert.True(
            commentPages.Any(html => XssPages.ShownEncoded(_app, html, name, ".comment-author", author => author.TextContent)),
            "No comment shows the name " + name));
        await XssPages.CheckFeedAsync(reader, "/feeds/comments/default");
        await XssPages.CheckFeedAsync(reader, $"/feeds/{postId}/comments/default");
        await XssPages.CheckPageAsync(owner, "/admin/moderation");
        await XssPages.CheckPageAsync(owner, "/admin/members");
        foreach (var payload in XssPayloads.Sample(step: 100))
        {
            await XssPages.CheckPageAsync(owner, "/admin/members?q=" + Uri.EscapeDataString(payload));
        }
    }

    private static Task<HttpResponseMessage> ChangeNameAsync(BlogClient member, string token, string name) =>
        member.Http.PostAsync("/account/display-name", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["DisplayName"] = name,
            [BlogClient.AntiforgeryField] = token,
        }));

    private async Task<(long Id, string Url)> PostAsync(double ageDays = 1)
    {
        var publishedAt = DateTime.UtcNow.AddDays(-ageDays);
        var id = await CommentTestData.CreatePostAsync(_app, publishedAt);
        var slug = CommentTestData.Scalar<string>(_app, "SELECT slug FROM posts WHERE id = @Id", new { Id = id });
        var site = await _app.Services.GetRequiredService<SiteSettingsStore>().GetAsync(CancellationToken.None);
        return (id, PostUrls.PostPath(publishedAt, slug, PostUrls.TimeZone(site.TimeZone)));
    }
}
