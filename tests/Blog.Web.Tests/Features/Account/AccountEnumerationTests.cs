using System.Net;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Account;

/// <summary>
/// Sign-in, registration and "forgot password" must not tell a visitor whether an address has an account: the same
/// response (status, headers, cookies, page) and the same work (password hashes, counted) for a known address as
/// for an unknown one.
/// </summary>
public sealed class AccountEnumerationTests(CountingHasherAppFactory app) : IClassFixture<CountingHasherAppFactory>
{
    private const string WrongPassword = "not the right password";

    private static string UnknownAddress() => $"nobody-{Guid.NewGuid():N}@example.test";

    /// <summary>Posts a form from a fresh browser; returns what the visitor saw and how many password hashes it cost.</summary>
    private async Task<(ResponseShape Shape, int Hashes)> SubmitAsync(string page, Dictionary<string, string> fields, string typedAddress)
    {
        using var client = new BlogClient(app);
        using var _ = await client.GetAsync(page);
        var before = app.Hasher.Uses;
        using var response = await client.SubmitFormAsync(page, fields);
        var hashes = app.Hasher.Uses - before;
        return (await ResponseShape.OfAsync(response, typedAddress), hashes);
    }

    private Task<(ResponseShape Shape, int Hashes)> SignInAsync(string email, string password) =>
        SubmitAsync("/account/sign-in", new() { ["Email"] = email, ["Password"] = password }, email);

    private Task<(ResponseShape Shape, int Hashes)> RegisterAsync(string email, string displayName = "Someone New") =>
        SubmitAsync("/account/register", new()
        {
            ["DisplayName"] = displayName,
            ["Email"] = email,
            ["Password"] = BlogClient.Password,
            ["ConfirmPassword"] = BlogClient.Password,
        }, email);

    private async Task<Member> AccountAsync(string state)
    {
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Member>>();
        var stored = (await users.FindByIdAsync(member.Id))!;
        switch (state)
        {
            case "banned":
                stored.BannedAt = DateTime.UtcNow;
                Assert.True((await users.UpdateAsync(stored)).Succeeded);
                break;
            case "unconfirmed":
                stored.EmailConfirmed = false;
                Assert.True((await users.UpdateAsync(stored)).Succeeded);
                break;
            case "locked":
                Assert.True((await users.SetLockoutEndDateAsync(stored, DateTimeOffset.UtcNow.AddMinutes(15))).Succeeded);
                break;
        }
        return stored;
    }

    private string MemberRow(string id)
    {
        using var db = app.OpenDatabase();
        using var reader = db.ExecuteReader("SELECT * FROM members WHERE id = @Id;", new { Id = id });
        Assert.True(reader.Read());
        return string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => $"{reader.GetName(i)}={reader.GetValue(i)}"));
    }

    [Theory]
    [InlineData("confirmed")]
    [InlineData("banned")]
    [InlineData("unconfirmed")]
    [InlineData("locked")]
    public async Task AWrongPasswordForAnyAccountLooksAndCostsTheSameAsAnUnknownAddress(string state)
    {
        var member = await AccountAsync(state);

        var known = await SignInAsync(member.Email!, WrongPassword);
        var unknown = await SignInAsync(UnknownAddress(), WrongPassword);

        Assert.Equal(HttpStatusCode.OK, (HttpStatusCode)unknown.Shape.Status);
        Assert.Contains("match an account", unknown.Shape.Body, StringComparison.Ordinal);
        Assert.Equal(unknown.Shape, known.Shape);
        Assert.Equal(1, unknown.Hashes);
        Assert.Equal(unknown.Hashes, known.Hashes);
    }

    [Fact]
    public async Task TheRightPasswordForALockedAccountLooksLikeAWrongOne()
    {
        var member = await AccountAsync("locked");

        var right = await SignInAsync(member.Email!, BlogClient.Password);
        var unknown = await SignInAsync(UnknownAddress(), BlogClient.Password);

        Assert.Equal(unknown.Shape, right.Shape);
        Assert.Equal(unknown.Hashes, right.Hashes);
    }

    [Theory]
    [InlineData("banned", "has been banned")]
    [InlineData("unconfirmed", "Confirm your email address first")]
    public async Task OnlyTheRightPasswordLearnsWhyAnAccountCannotSignIn(string state, string reason)
    {
        var member = await AccountAsync(state);

        var wrong = await SignInAsync(member.Email!, WrongPassword);
        var right = await SignInAsync(member.Email!, BlogClient.Password);

        Assert.DoesNotContain(reason, wrong.Shape.Body, StringComparison.Ordinal);
        Assert.Contains(reason, right.Shape.Body, StringComparison.Ordinal);
        Assert.Equal(wrong.Hashes, right.Hashes);
    }

    [Fact]
    public async Task WrongPasswordsForABannedAccountStillLockIt()
    {
        var member = await AccountAsync("banned");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await SignInAsync(member.Email!, WrongPassword);
        }

        var right = await SignInAsync(member.Email!, BlogClient.Password);

        Assert.DoesNotContain("has been banned", right.Shape.Body, StringComparison.Ordinal);
        Assert.Contains("match an account", right.Shape.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisteringAKnownAddressAnswersLikeANewOneAndOnlyTellsTheOwnerByMail()
    {
        var owner = await BlogClient.CreateAccountAsync(app, MemberRole.Member, displayName: "Original Owner");
        var ownerRowBefore = MemberRow(owner.Id);
        var newAddress = UnknownAddress();

        var known = await RegisterAsync(owner.Email!, "Impostor");
        var fresh = await RegisterAsync(newAddress);
        using var db = app.OpenDatabase();
        var accountsWithTheAddress = db.ExecuteScalar<int>("SELECT COUNT(*) FROM members WHERE normalized_email = @Email;", new { Email = owner.Email!.ToUpperInvariant() });
        var notice = Mailbox.LastMessageTo(app, owner.Email!);

        Assert.Equal(HttpStatusCode.OK, (HttpStatusCode)fresh.Shape.Status);
        Assert.Contains("Check your email", fresh.Shape.Body, StringComparison.Ordinal);
        Assert.Equal(fresh.Shape, known.Shape);
        Assert.Equal(1, fresh.Hashes);
        Assert.Equal(fresh.Hashes, known.Hashes);
        Assert.Equal(1, accountsWithTheAddress);
        Assert.Equal(ownerRowBefore, MemberRow(owner.Id));
        Assert.Contains("tried to register", notice.Subject, StringComparison.Ordinal);
        Assert.Contains("no new account was made and yours is unchanged", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains("Hello Original Owner", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains("/account/confirm-email", Mailbox.LinkInLastMessageTo(app, newAddress, "/account/confirm-email"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgotPasswordLooksTheSameForAKnownAndAnUnknownAddress()
    {
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member);

        var (known, _) = await SubmitAsync("/account/forgot-password", new() { ["Email"] = member.Email! }, member.Email!);
        var unknownAddress = UnknownAddress();
        var (unknown, _) = await SubmitAsync("/account/forgot-password", new() { ["Email"] = unknownAddress }, unknownAddress);

        Assert.Equal(HttpStatusCode.OK, (HttpStatusCode)unknown.Status);
        Assert.Equal(unknown, known);
        Assert.Single(Mailbox.MessagesTo(app, member.Email!));
        Assert.Empty(Mailbox.MessagesTo(app, unknownAddress));
    }
}

/// <summary>With a stricter password rule, a known address must hear about the rule exactly as a new one does.</summary>
public sealed class StricterPasswordAppFactory : BlogAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.Configure<IdentityOptions>(options => options.Password.RequireDigit = true));
    }
}

public sealed class RegistrationPasswordRuleTests(StricterPasswordAppFactory app) : IClassFixture<StricterPasswordAppFactory>
{
    private async Task<ResponseShape> RegisterAsync(string email)
    {
        using var client = new BlogClient(app);
        using var response = await client.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["DisplayName"] = "Rule Breaker",
            ["Email"] = email,
            ["Password"] = "no digits in this one",
            ["ConfirmPassword"] = "no digits in this one",
        });
        return await ResponseShape.OfAsync(response, email);
    }

    [Fact]
    public async Task APasswordRuleIsEnforcedTheSameWayForAKnownAddress()
    {
        var ownerEmail = $"owner-{Guid.NewGuid():N}@example.test";
        using (var scope = app.Services.CreateScope())
        {
            var owner = new Member { UserName = ownerEmail, Email = ownerEmail, EmailConfirmed = true, DisplayName = "Rule Keeper" };
            Assert.True((await scope.ServiceProvider.GetRequiredService<UserManager<Member>>().CreateAsync(owner, "password number 1")).Succeeded);
        }
        var unknown = $"nobody-{Guid.NewGuid():N}@example.test";

        var known = await RegisterAsync(ownerEmail);
        var fresh = await RegisterAsync(unknown);

        Assert.Contains("digit", fresh.Body, StringComparison.Ordinal);
        Assert.Equal(fresh, known);
        Assert.Empty(Mailbox.MessagesTo(app, ownerEmail));
    }
}

/// <summary>Mail that these forms cause leaves after the answer, through the outbox: nothing is sent while the visitor waits.</summary>
public sealed class AccountMailIsQueuedTests(PausedMailAppFactory app) : IClassFixture<PausedMailAppFactory>
{
    public static TheoryData<string> Forms() => ["register a new address", "register a known address", "forgot password", "resend confirmation"];

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task TheAnswerComesWhileTheOutboxIsPausedAndNothingWasSentInline(string form)
    {
        var known = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        using var client = new BlogClient(app);
        var unknown = $"new-{Guid.NewGuid():N}@example.test";
        if (form == "resend confirmation")
        {
            using var _ = await client.SubmitFormAsync("/account/register", Registration(unknown));
        }

        using var response = form switch
        {
            "register a new address" => await client.SubmitFormAsync("/account/register", Registration(unknown)),
            "register a known address" => await client.SubmitFormAsync("/account/register", Registration(known.Email!)),
            "forgot password" => await client.SubmitFormAsync("/account/forgot-password", new Dictionary<string, string> { ["Email"] = known.Email! }),
            _ => await client.SubmitFormAsync("/account/resend-confirmation", new Dictionary<string, string> { ["Email"] = unknown }),
        };

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Check your email", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
        Assert.False(Directory.Exists(app.MailFolder) && Directory.EnumerateFiles(app.MailFolder).Any(), "Mail was sent while the request was answered.");
    }

    private static Dictionary<string, string> Registration(string email) => new()
    {
        ["DisplayName"] = "Queued Quentin",
        ["Email"] = email,
        ["Password"] = BlogClient.Password,
        ["ConfirmPassword"] = BlogClient.Password,
    };
}
