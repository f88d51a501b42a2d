using System.Net;
using System.Text;
using Blog.Web.Hosting;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Hosting;

public sealed class BadInputTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    [Fact]
    public void CleaningDropsControlCharactersButKeepsLineBreaksAndTabs()
    {
        Assert.Equal("ab\tc\r\nd€", CleanTextModelBinder.Clean("a\0b\tc\r\n\u0007d\u001B€\u0085"));
    }

    [Fact]
    public async Task ControlCharactersInAFormAreDroppedAndTheRestOfTheTextIsKept()
    {
        using var client = new BlogClient(app);

        using var response = await client.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["DisplayName"] = "Escape\u001B and\u0007 bell",
            ["Email"] = "not an email\u0008",
            ["Password"] = "x",
            ["ConfirmPassword"] = "x",
        });
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Escape and bell", page.QuerySelector("input[name=DisplayName]")!.GetAttribute("value"));
        Assert.Equal("not an email", page.QuerySelector("input[name=Email]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task ANulCharacterInAFormIsABadRequestWithAFriendlyPage()
    {
        using var client = new BlogClient(app);

        using var response = await client.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["DisplayName"] = "Nul\0",
            ["Email"] = "someone@example.test",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("That request didn't make sense", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/account/sign-in?returnUrl=%FF%FE%00")]
    [InlineData("/account/register?returnUrl=%C0%AF")]
    [InlineData("/error/99999999999")]
    public async Task MalformedQueryValuesNeverCauseAServerError(string path)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.True((int)response.StatusCode < 500, $"{path} answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task InvalidUtf8InAFormBodyIsNotAServerError()
    {
        using var client = new BlogClient(app);
        var page = await client.GetPageAsync("/account/sign-in");
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var body = Encoding.ASCII.GetBytes($"__RequestVerificationToken={Uri.EscapeDataString(token)}&Email=")
            .Concat(new byte[] { 0xC3, 0x28, 0xFF, 0xFE })
            .Concat(Encoding.ASCII.GetBytes("&Password=%FF%FE%FD"))
            .ToArray();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");

        using var response = await client.Http.PostAsync("/account/sign-in", content);

        Assert.True((int)response.StatusCode < 500, $"answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task AnOversizedFormIsRefusedWithoutAServerError()
    {
        using var client = new BlogClient(app);

        using var response = await client.SubmitFormAsync("/account/sign-in", new Dictionary<string, string>
        {
            ["Email"] = new string('a', 6 * 1024 * 1024),
            ["Password"] = "whatever it is",
        });

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge,
            $"answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task AFormWithThousandsOfFieldsIsRefusedWithoutAServerError()
    {
        using var client = new BlogClient(app);
        var fields = Enumerable.Range(0, 5000).ToDictionary(i => $"f{i}", i => "x");
        fields["Email"] = "someone@example.test";

        using var response = await client.SubmitFormAsync("/account/sign-in", fields);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge,
            $"answered {(int)response.StatusCode}");
    }
}
