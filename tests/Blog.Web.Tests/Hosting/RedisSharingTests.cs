using System.Globalization;
using System.Net;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using static Blog.Web.Tests.Infrastructure.CommentTestData;

namespace Blog.Web.Tests.Hosting;

/// <summary>
/// Two instances of the blog on one database and one Redis, as behind a load balancer without sticky sessions:
/// whatever one instance issues or changes, the other honours at once.
/// </summary>
[Trait("Needs", "Redis")]
public sealed class RedisSharingTests : IDisposable
{
    private readonly TwoInstancesOnOneRedis _blog = new(new Dictionary<string, string?>
    {
        // No configured address: the one the owner records in the settings is the one both instances use.
        ["Blog:BaseUrl"] = "",
        ["Blog:Defaults:Comments:Moderation"] = "Always",
        ["Blog:Comments:PerMinute"] = "1000",
    });

    [Fact]
    public async Task ASignInAndAFormTokenFromOneInstanceAreHonouredByTheOther()
    {
        var (postId, _) = PostSeeder.Insert(_blog.First, new SeedPost { Title = "Shared sign-in " + Guid.NewGuid().ToString("N") });
        var member = await BlogClient.CreateAccountAsync(_blog.First, MemberRole.Member);
        using var browser = new OneBrowserOnTwoInstances(_blog.First, _blog.Second);

        using var signedIn = await browser.SignInOnFirstAsync(member.Email!);
        using var account = await browser.OnSecond.GetAsync("/account");
        using var comment = await browser.CommentOnSecondAsync(postId, "Written through the other instance");

        // The instances share a data folder here, so prove the keys are the ones in Redis, not the folder's.
        var keysInFolder = Path.Combine(_blog.Folder, "keys");
        Assert.Empty(Directory.Exists(keysInFolder) ? Directory.GetFiles(keysInFolder) : []);
        Assert.True(await _blog.Second.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase().ListLengthAsync("quire:data-protection-keys") > 0);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, comment.StatusCode);
        Assert.Matches("#c[0-9]+$", comment.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ACommentApprovedOnOneInstanceIsOnTheOthersNextAnonymousPage()
    {
        var (postId, _) = PostSeeder.Insert(_blog.First, new SeedPost { Title = "Shared cache " + Guid.NewGuid().ToString("N") });
        var path = PostPath(_blog.First, postId);
        using var readerOfFirst = new BlogClient(_blog.First);
        using var readerOfSecond = new BlogClient(_blog.Second);
        var (member, _) = await BlogClient.SignedInAsync(_blog.First, MemberRole.Member);
        var (owner, _) = await BlogClient.SignedInAsync(_blog.First, MemberRole.Owner);
        var words = "Approved on the first instance " + Guid.NewGuid().ToString("N");

        using var renderedBySecond = await readerOfSecond.GetAsync(path);
        using var servedToFirst = await readerOfFirst.GetAsync(path);
        var commentId = await CommentIdAsync(member, postId, words);
        using var approved = await owner.PostAsync("/admin/moderation/approve",
            new Dictionary<string, string> { ["id"] = commentId.ToString(CultureInfo.InvariantCulture) }, "/admin/moderation");
        var onSecondAfter = await BlogClient.TextOfAsync(await readerOfSecond.GetAsync(path));

        // The first instance never rendered the page: it came from the store both share.
        Assert.Null(renderedBySecond.Headers.Age);
        Assert.NotNull(servedToFirst.Headers.Age);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Contains(words, onSecondAfter, StringComparison.Ordinal);
        member.Dispose();
        owner.Dispose();
    }

    [Fact]
    public async Task ABanOnOneInstanceRefusesTheMembersNextRequestOnTheOther()
    {
        var member = await BlogClient.CreateAccountAsync(_blog.First, MemberRole.Member);
        var (owner, _) = await BlogClient.SignedInAsync(_blog.First, MemberRole.Owner);
        using var browser = new OneBrowserOnTwoInstances(_blog.First, _blog.Second);
        using var signedIn = await browser.SignInOnFirstAsync(member.Email!);
        using var before = await browser.OnSecond.GetAsync("/account");

        using var ban = await owner.PostAsync($"/admin/members/{member.Id}/ban", new Dictionary<string, string>());
        using var after = await browser.OnSecond.GetAsync("/account");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, ban.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, after.StatusCode);
        owner.Dispose();
    }

    [Fact]
    public async Task SettingsSavedOnOneInstanceAreWhatTheOtherShowsAndFiltersBy()
    {
        var (owner, _) = await BlogClient.SignedInAsync(_blog.First, MemberRole.Owner);
        using var readerOfSecond = new BlogClient(_blog.Second);
        var title = "Retitled through the first " + Guid.NewGuid().ToString("N")[..8];
        using var warm = await readerOfSecond.GetAsync("/");

        using var saved = await owner.SubmitFormAsync("/admin/settings", new Dictionary<string, string>
        {
            ["Title"] = title, ["Description"] = "", ["PostsPerPage"] = "10", ["TimeZone"] = "UTC", ["DateFormat"] = "yyyy",
            ["BaseUrl"] = "https://shared.example.test",
        });
        var home = await BlogClient.TextOfAsync(await readerOfSecond.GetAsync("/"));
        // The address reaches the other instance as a message: wait for it, as a reader a moment later would.
        var address = _blog.Second.Services.GetRequiredService<CanonicalAddress>();
        for (var waited = 0; address.Known != "https://shared.example.test" && waited < 100; waited++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains(title, home, StringComparison.Ordinal);
        Assert.Equal("https://shared.example.test", address.Known);
        owner.Dispose();
    }

    [Fact]
    public async Task AnEvictionOnOneInstanceMovesTheVersionEveryInstanceReads()
    {
        var seenBySecond = _blog.Second.Services.GetRequiredService<ReaderCache>();
        var generationBefore = await seenBySecond.GenerationAsync(CancellationToken.None);
        var postsChangedBefore = await seenBySecond.PostsChangedAtAsync(CancellationToken.None);
        await Task.Delay(20);

        await _blog.First.Services.GetRequiredService<ReaderCache>().PostsChangedAsync();

        Assert.True(await seenBySecond.GenerationAsync(CancellationToken.None) > generationBefore);
        Assert.True(await seenBySecond.PostsChangedAtAsync(CancellationToken.None) > postsChangedBefore);
    }

    [Fact]
    public void AConnectionStringRedisCannotReadStopsTheStartWithTheReason()
    {
        using var misconfigured = new BlogAppFactory { Settings = { ["ConnectionStrings:Redis"] = "localhost:6379,nosuchsetting=1" } };

        var failure = Assert.Throws<OptionsValidationException>(() => misconfigured.Services);

        Assert.Contains("ConnectionStrings:Redis", failure.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _blog.Dispose();

}
