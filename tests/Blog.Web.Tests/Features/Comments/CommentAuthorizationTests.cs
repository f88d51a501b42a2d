using System.Globalization;
using System.Net;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using static Blog.Web.Tests.Infrastructure.CommentTestData;

namespace Blog.Web.Tests.Features.Comments;

/// <summary>Every comment endpoint against every kind of visitor: the status, and nothing stored on refusal.</summary>
public sealed class CommentAuthorizationTests(CommentAppFactory app) : IClassFixture<CommentAppFactory>
{
    public static TheoryData<string, string, int> Cases()
    {
        // Expected status per visitor: anonymous, non-member, member, revoked, banned, post author, owner.
        var table = new Dictionary<string, int[]>
        {
            ["create"] = [302, 403, 302, 403, 403, 302, 302],
            ["reply"] = [302, 403, 302, 403, 403, 302, 302],
            ["edit-others"] = [302, 403, 403, 403, 403, 403, 403],
            ["delete-others"] = [302, 403, 403, 403, 403, 403, 403],
            ["remove"] = [302, 403, 403, 403, 403, 302, 302],
            ["report"] = [302, 403, 200, 403, 403, 200, 200],
            ["queue"] = [302, 403, 403, 403, 403, 403, 200],
            ["approve"] = [302, 403, 403, 403, 403, 403, 302],
            ["queue-remove"] = [302, 403, 403, 403, 403, 403, 302],
            ["ban"] = [302, 403, 403, 403, 403, 403, 302],
            ["settings"] = [302, 403, 403, 403, 403, 403, 302],
        };
        string[] visitors = ["anonymous", "non-member", "member", "revoked", "banned", "post-author", "owner"];
        var data = new TheoryData<string, string, int>();
        foreach (var (endpoint, statuses) in table)
        {
            for (var i = 0; i < visitors.Length; i++)
            {
                data.Add(endpoint, visitors[i], statuses[i]);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EndpointAnswersEachVisitorAndStoresNothingOnRefusal(string endpoint, string visitor, int expected)
    {
        var (client, actorId) = await VisitorAsync(visitor);
        var postId = await CreatePostAsync(app, authorId: visitor == "post-author" ? actorId : null);
        var (writer, writerAccount) = await SignedInAsync(app, MemberRole.Member);
        var commentId = await CommentIdAsync(writer, postId, "a comment by someone else");
        Execute(app, "UPDATE comments SET status = 'held' WHERE id = @Id AND @Held", new { Id = commentId, Held = endpoint == "approve" });
        await BecomeAsync(visitor, actorId);
        var id = commentId.ToString(CultureInfo.InvariantCulture);
        var before = Snapshot(app);

        using var response = endpoint switch
        {
            "create" => await CommentAsync(client, postId, "hello"),
            "reply" => await CommentAsync(client, postId, "hello back", commentId),
            "edit-others" => await PostFormAsync(client, $"/comments/{id}/edit", new() { ["Body"] = "changed" }),
            "delete-others" => await PostFormAsync(client, $"/comments/{id}/delete"),
            "remove" => await PostFormAsync(client, $"/comments/{id}/remove"),
            "report" => await PostFormAsync(client, $"/comments/{id}/report", new() { ["Reason"] = "spam" }),
            "queue" => await client.GetAsync("/admin/moderation"),
            "approve" => await PostFormAsync(client, "/admin/moderation/approve", new() { ["id"] = id }),
            "queue-remove" => await PostFormAsync(client, "/admin/moderation/remove", new() { ["ids"] = id }),
            "ban" => await PostFormAsync(client, "/admin/moderation/ban", new() { ["memberId"] = writerAccount.Id }),
            "settings" => await PostFormAsync(client, "/admin/moderation/settings", new()
            {
                ["Moderation"] = "Always", ["ModerateAfterDays"] = "3", ["TrustedAfterApproved"] = "0",
                ["HoldLinksAtLeast"] = "2", ["BlockedWords"] = "", ["CloseAfterDays"] = Random.Shared.Next(1, 10_000).ToString(CultureInfo.InvariantCulture),
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(endpoint)),
        };
        var after = Snapshot(app);
        if (endpoint == "settings" && expected == 302)
        {
            Execute(app, "DELETE FROM site_settings");
            // The store caches settings; put the defaults back through it so later cases start from "never".
            await ResetSettingsAsync();
        }

        Assert.Equal(expected, (int)response.StatusCode);
        if (visitor == "anonymous")
        {
            Assert.Contains("/account/sign-in?ReturnUrl=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
        if (expected >= 400 || visitor == "anonymous")
        {
            Assert.Equal(before, after);
        }
        else if (endpoint != "queue")
        {
            // Success must have had an effect, or the row would prove nothing.
            Assert.NotEqual(before, after);
        }
    }

    private async Task<(BlogClient Client, string? Id)> VisitorAsync(string visitor)
    {
        var role = visitor switch
        {
            "anonymous" => (MemberRole?)null,
            "non-member" => MemberRole.Reader,
            "post-author" => MemberRole.Author,
            "owner" => MemberRole.Owner,
            _ => MemberRole.Member,
        };
        if (role is null)
        {
            return (new BlogClient(app), null);
        }
        var (client, member) = await SignedInAsync(app, role.Value);
        return (client, member.Id);
    }

    /// <summary>Revoked and banned people signed in as members; their standing changes afterwards, mid-session.</summary>
    private Task BecomeAsync(string visitor, string? id)
    {
        if (visitor == "revoked")
        {
            Execute(app, "UPDATE members SET role = 'reader' WHERE id = @Id", new { Id = id });
        }
        else if (visitor == "banned")
        {
            Execute(app, "UPDATE members SET banned_at = @Now WHERE id = @Id", new { Id = id, Now = Format(app.Now) });
        }
        return Task.CompletedTask;
    }

    private async Task ResetSettingsAsync()
    {
        var store = (Blog.Web.Features.Settings.SiteSettingsStore)app.Services.GetService(typeof(Blog.Web.Features.Settings.SiteSettingsStore))!;
        var current = await store.GetAsync();
        await store.SaveAsync(current with { Comments = new Blog.Web.Features.Settings.CommentSettings() });
    }
}
