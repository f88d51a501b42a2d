using System.Net;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Account;

public sealed class TwoFactorTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    /// <summary>Turns two-factor on through the pages, as a person would; returns the shared key and recovery codes.</summary>
    private static async Task<(string Key, List<string> RecoveryCodes)> EnableAsync(BlogClient client)
    {
        using var started = await client.SubmitFormAsync("/account/two-factor", new Dictionary<string, string>(), "form[action='/account/two-factor/start']");
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var setup = await client.GetPageAsync("/account/two-factor");
        var key = setup.QuerySelector(".shared-key")!.TextContent;
        using var enabled = await client.SubmitFormAsync("/account/two-factor", new Dictionary<string, string> { ["Form.Code"] = Totp.CodeFor(key) },
            "form[action='/account/two-factor/enable']");
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var codes = BlogClient.Parse(await enabled.Content.ReadAsStringAsync())
            .QuerySelectorAll(".recovery-codes code").Select(c => c.TextContent).ToList();
        return (key, codes);
    }

    private static Task<HttpResponseMessage> PasswordStepAsync(BlogClient client, string email) =>
        client.SubmitFormAsync("/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = BlogClient.Password });

    private static Task<HttpResponseMessage> CodeStepAsync(BlogClient client, string code, bool rememberDevice = false) =>
        client.SubmitFormAsync("/account/sign-in/two-factor", new Dictionary<string, string>
        {
            ["Code"] = code,
            ["RememberDevice"] = rememberDevice ? "true" : "false",
        });

    [Fact]
    public async Task SetupShowsAGroupedKeyAndAQrCodeImage()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var __ = client;
        using var ___ = await client.SubmitFormAsync("/account/two-factor", new Dictionary<string, string>(), "form[action='/account/two-factor/start']");

        var setup = await client.GetPageAsync("/account/two-factor");
        using var qr = await client.GetAsync(setup.QuerySelector("img.qr-code")!.GetAttribute("src")!);
        var png = await qr.Content.ReadAsByteArrayAsync();

        Assert.Matches("^([a-z2-7]{4} )+[a-z2-7]{1,4}$", setup.QuerySelector(".shared-key")!.TextContent);
        Assert.Equal(HttpStatusCode.OK, qr.StatusCode);
        Assert.Equal("image/png", qr.Content.Headers.ContentType!.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Contains("no-store", qr.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpeningTheTwoFactorPageChangesNothing()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var __ = client;

        var page = await client.GetPageAsync("/account/two-factor");
        using var qr = await client.GetAsync("/account/two-factor/qr-code.png");

        Assert.Null(page.QuerySelector(".shared-key"));
        Assert.Equal(HttpStatusCode.NotFound, qr.StatusCode);
    }

    [Fact]
    public async Task AWrongCodeDoesNotTurnTwoFactorOn()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var __ = client;
        using var ___ = await client.SubmitFormAsync("/account/two-factor", new Dictionary<string, string>(), "form[action='/account/two-factor/start']");

        using var response = await client.SubmitFormAsync("/account/two-factor", new Dictionary<string, string> { ["Form.Code"] = "000000x" },
            "form[action='/account/two-factor/enable']");
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("didn't match", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("000000x", page.QuerySelector("input[name='Form.Code']")!.GetAttribute("value"));
        Assert.NotNull(page.QuerySelector(".shared-key"));
        using var fresh = new BlogClient(app);
        await fresh.SignInAsync(member.Email!);
    }

    [Fact]
    public async Task WithTwoFactorOnSignInNeedsACodeAndTheRightCodeWorks()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var __ = client;
        var (key, codes) = await EnableAsync(client);
        using var other = new BlogClient(app);

        using var password = await PasswordStepAsync(other, member.Email!);
        var homeBetweenSteps = await other.GetPageAsync("/");
        using var wrong = await CodeStepAsync(other, "123456" == Totp.CodeFor(key) ? "654321" : "123456");
        using var right = await CodeStepAsync(other, Totp.CodeFor(key));
        var home = await other.GetPageAsync("/");

        Assert.Equal(10, codes.Count);
        Assert.Equal(10, codes.Distinct().Count());
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.StartsWith("/account/sign-in/two-factor", password.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Null(homeBetweenSteps.QuerySelector(".signed-in-as"));
        Assert.Contains("didn't match", await BlogClient.TextOfAsync(wrong), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.NotNull(home.QuerySelector(".signed-in-as"));
        Assert.NotNull((await client.GetPageAsync("/")).QuerySelector(".signed-in-as"));
    }

    [Fact]
    public async Task ARecoveryCodeSignsInOnce()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var __ = client;
        var (_, codes) = await EnableAsync(client);
        using var first = new BlogClient(app);
        using var second = new BlogClient(app);

        using var p1 = await PasswordStepAsync(first, member.Email!);
        using var used = await first.SubmitFormAsync("/account/sign-in/recovery-code", new Dictionary<string, string> { ["Code"] = codes[0] });
        using var p2 = await PasswordStepAsync(second, member.Email!);
        using var reused = await second.SubmitFormAsync("/account/sign-in/recovery-code", new Dictionary<string, string> { ["Code"] = codes[0] });
        var accountPage = await client.GetPageAsync("/account/two-factor");

        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
        Assert.Contains("isn't valid, or was already used", await BlogClient.TextOfAsync(reused), StringComparison.Ordinal);
        Assert.Contains("9 unused recovery codes", accountPage.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegeneratingRecoveryCodesReplacesTheOldOnes()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var __ = client;
        var (_, oldCodes) = await EnableAsync(client);

        using var regenerated = await client.SubmitFormAsync("/account/two-factor", new Dictionary<string, string>(), "form[action='/account/two-factor/recovery-codes']");
        var newCodes = BlogClient.Parse(await regenerated.Content.ReadAsStringAsync()).QuerySelectorAll(".recovery-codes code").Select(c => c.TextContent).ToList();
        using var other = new BlogClient(app);
        using var ___ = await PasswordStepAsync(other, member.Email!);
        using var withOld = await other.SubmitFormAsync("/account/sign-in/recovery-code", new Dictionary<string, string> { ["Code"] = oldCodes[0] });
        using var withNew = await other.SubmitFormAsync("/account/sign-in/recovery-code", new Dictionary<string, string> { ["Code"] = newCodes[0] });

        Assert.Equal(10, newCodes.Count);
        Assert.Empty(newCodes.Intersect(oldCodes));
        Assert.Equal(HttpStatusCode.OK, withOld.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, withNew.StatusCode);
    }

    [Fact]
    public async Task RememberingTheDeviceSkipsTheCodeNextTime()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var __ = client;
        var (key, _) = await EnableAsync(client);
        using var device = new BlogClient(app);
        using var p1 = await PasswordStepAsync(device, member.Email!);
        using var c1 = await CodeStepAsync(device, Totp.CodeFor(key), rememberDevice: true);
        using var signOut = await device.SubmitFormAsync("/", new Dictionary<string, string>(), "form[action='/account/sign-out']");

        using var again = await PasswordStepAsync(device, member.Email!);

        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("/", again.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task DisablingTwoFactorMakesThePasswordEnoughAgain()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var __ = client;
        await EnableAsync(client);

        var settings = await client.GetPageAsync("/account/two-factor");
        using var disabled = await client.SubmitFormAsync(settings.QuerySelector("a[href='/account/two-factor/disable']")!.GetAttribute("href")!,
            new Dictionary<string, string> { ["Form.Password"] = BlogClient.Password });
        using var other = new BlogClient(app);
        using var password = await PasswordStepAsync(other, member.Email!);

        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        Assert.Equal("/", password.Headers.Location!.OriginalString);
        Assert.NotNull((await client.GetPageAsync("/")).QuerySelector(".signed-in-as"));
    }

    [Fact]
    public async Task ResettingTheKeyTurnsTwoFactorOffAndTheOldKeyStopsWorking()
    {
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var __ = client;
        var (oldKey, _) = await EnableAsync(client);

        var settings = await client.GetPageAsync("/account/two-factor");
        using var reset = await client.SubmitFormAsync(settings.QuerySelector("a[href='/account/two-factor/reset-key']")!.GetAttribute("href")!,
            new Dictionary<string, string> { ["Form.Password"] = BlogClient.Password });
        var page = await client.GetPageAsync("/account/two-factor");
        var newKey = page.QuerySelector(".shared-key")!.TextContent;
        using var withOld = await client.SubmitFormAsync("/account/two-factor", new Dictionary<string, string> { ["Form.Code"] = Totp.CodeFor(oldKey) },
            "form[action='/account/two-factor/enable']");

        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.NotEqual(oldKey, newKey);
        Assert.Contains("didn't match", await BlogClient.TextOfAsync(withOld), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/account/two-factor/disable", "")]
    [InlineData("/account/two-factor/disable", "not my password at all")]
    [InlineData("/account/two-factor/reset-key", "")]
    [InlineData("/account/two-factor/reset-key", "not my password at all")]
    public async Task TurningTwoFactorOffOrReplacingTheKeyNeedsThePassword(string path, string password)
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var __ = client;
        var (key, _) = await EnableAsync(client);

        using var response = await client.SubmitFormAsync(path, new Dictionary<string, string> { ["Form.Password"] = password });
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());
        using var other = new BlogClient(app);
        using var passwordStep = await PasswordStepAsync(other, member.Email!);
        using var codeStep = await CodeStepAsync(other, Totp.CodeFor(key));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(password == "" ? "Enter your password" : "isn't your password",
            page.QuerySelector("span[data-valmsg-for='Form.Password']")!.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("/account/sign-in/two-factor", passwordStep.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, codeStep.StatusCode);
        Assert.Contains("is <strong>on</strong>", await (await client.GetAsync("/account/two-factor")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongCodesLockTheAccountWithAClearMessageEvenForTheRightCode()
    {
        var (client, member) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        using var __ = client;
        var (key, _) = await EnableAsync(client);
        using var attacker = new BlogClient(app);
        using var p = await PasswordStepAsync(attacker, member.Email!);
        var wrongCode = Totp.CodeFor(key) == "111111" ? "222222" : "111111";
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var ___ = await CodeStepAsync(attacker, wrongCode);
        }

        using var right = await CodeStepAsync(attacker, Totp.CodeFor(key));

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("locked", await BlogClient.TextOfAsync(right), StringComparison.Ordinal);
    }
}
