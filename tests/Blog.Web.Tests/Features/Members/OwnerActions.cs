using System.Net;
using Blog.Web.Tests.Infrastructure;
using Dapper;

namespace Blog.Web.Tests.Features.Members;

/// <summary>What the owner does on /admin/members, through the page's real forms.</summary>
internal static class OwnerActions
{
    public static async Task<string> CreateInvitationAsync(BlogClient owner, string? email = null)
    {
        using var response = await owner.SubmitFormAsync("/admin/members",
            new Dictionary<string, string> { ["invitationEmail"] = email ?? "" }, "form.members-invite");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());
        return new Uri(page.QuerySelector(".invitation-link code")!.TextContent.Trim()).PathAndQuery;
    }

    public static async Task SetModeAsync(BlogClient owner, string mode)
    {
        using var response = await owner.SubmitFormAsync("/admin/members",
            new Dictionary<string, string> { ["mode"] = mode }, "form.members-mode");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>Submits the form on the Members page whose action ends with <paramref name="actionEnd"/>.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(BlogClient owner, string actionEnd, string pageUrl = "/admin/members") =>
        await owner.SubmitFormAsync(pageUrl, new Dictionary<string, string>(), $"form[action$='{actionEnd}']");

    public static string RoleOf(BlogAppFactory app, string memberId)
    {
        using var db = app.OpenDatabase();
        return db.ExecuteScalar<string>("SELECT role FROM members WHERE id = @Id;", new { Id = memberId })!;
    }

    public static async Task<string> MembershipTextAsync(BlogClient client)
    {
        using var response = await client.GetAsync("/membership");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return BlogClient.Parse(await response.Content.ReadAsStringAsync()).QuerySelector(".membership-state")!.TextContent;
    }
}
