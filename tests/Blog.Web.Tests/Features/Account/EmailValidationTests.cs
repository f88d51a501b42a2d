using System.Net;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;

namespace Blog.Web.Tests.Features.Account;

/// <summary>
/// Addresses the framework's [EmailAddress] lets through but the mail library can't send to are refused on
/// every form that takes an email, with the form shown again and the typed text kept.
/// </summary>
public sealed class EmailValidationTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    private const string Refusal = "doesn't look like an email address";

    public static TheoryData<string> OddAddresses() => ["a.@x.com", "\"x\"@", "a..b@example.test", "Name <a@example.test>", "a b@example.test"];

    private static async Task AssertRefusedAndKeptAsync(HttpResponseMessage response, string field, string typed, HttpStatusCode status = HttpStatusCode.OK)
    {
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(typed, page.QuerySelector($"input[name={field}]")!.GetAttribute("value"));
        Assert.Contains(Refusal, page.Body!.TextContent, StringComparison.Ordinal);
    }

    private int MemberCount()
    {
        using var db = app.OpenDatabase();
        return db.ExecuteScalar<int>("SELECT COUNT(*) FROM members;");
    }

    [Theory]
    [MemberData(nameof(OddAddresses))]
    public async Task RegisterRefusesIt(string address)
    {
        using var client = new BlogClient(app);
        var before = MemberCount();

        using var response = await client.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["DisplayName"] = "Odd One",
            ["Email"] = address,
            ["Password"] = BlogClient.Password,
            ["ConfirmPassword"] = BlogClient.Password,
        });

        await AssertRefusedAndKeptAsync(response, "Email", address);
        Assert.Equal(before, MemberCount());
    }

    [Theory]
    [MemberData(nameof(OddAddresses))]
    public async Task ForgotPasswordAndResendConfirmationRefuseIt(string address)
    {
        using var client = new BlogClient(app);

        using var forgot = await client.SubmitFormAsync("/account/forgot-password", new Dictionary<string, string> { ["Email"] = address });
        using var resend = await client.SubmitFormAsync("/account/resend-confirmation", new Dictionary<string, string> { ["Email"] = address });

        await AssertRefusedAndKeptAsync(forgot, "Email", address);
        await AssertRefusedAndKeptAsync(resend, "Email", address);
    }

    [Theory]
    [MemberData(nameof(OddAddresses))]
    public async Task ChangeEmailRefusesIt(string address)
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var __ = client;

        using var response = await client.SubmitFormAsync("/account/email", new Dictionary<string, string> { ["NewEmail"] = address, ["CurrentPassword"] = BlogClient.Password });

        await AssertRefusedAndKeptAsync(response, "NewEmail", address);
    }

    [Theory]
    [MemberData(nameof(OddAddresses))]
    public async Task InvitationRefusesIt(string address)
    {
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var __ = owner;

        using var response = await owner.SubmitFormAsync("/admin/members",
            new Dictionary<string, string> { ["invitationEmail"] = address }, "form.members-invite");

        await AssertRefusedAndKeptAsync(response, "invitationEmail", address, HttpStatusCode.BadRequest);
    }
}
