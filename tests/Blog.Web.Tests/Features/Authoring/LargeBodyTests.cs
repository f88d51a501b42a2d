using System.Net;
using System.Text;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Authoring;

/// <summary>
/// A body of about a megabyte, five times the default limit, sent to the editor over real Kestrel with the
/// default settings: it passes the server's request and form limits and reaches the editor's own check.
/// </summary>
public sealed class LargeBodyTests(LargeBodyTests.OnKestrel app) : IClassFixture<LargeBodyTests.OnKestrel>
{
    /// <summary>The blog with default settings on a real Kestrel port, so Kestrel's own limits apply.</summary>
    public sealed class OnKestrel : BlogAppFactory
    {
        public OnKestrel()
        {
            UseKestrel(0);
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            ClientOptions.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task AMegabyteBodyIsRefusedWithAClearMessageAndComesBackWhole()
    {
        var author = await BlogClient.CreateAccountAsync(app, MemberRole.Author, displayName: "Long Writer");
        using var client = new BlogClient(app);
        // A client on a real socket follows the sign-in redirect itself, so it lands on the home page signed in.
        using (var signedIn = await client.SubmitFormAsync("/account/sign-in", new Dictionary<string, string>
        {
            ["Email"] = author.Email!, ["Password"] = BlogClient.Password,
        }))
        {
            Assert.Contains("Signed in as Long Writer", await BlogClient.TextOfAsync(signedIn), StringComparison.Ordinal);
        }
        var body = new StringBuilder();
        for (var i = 0; body.Length < 1_000_000; i++)
        {
            body.Append("Paragraph ").Append(i).Append(": words & <angle> brackets, \"quotes\" and ünïcödé.\r\n\r\n");
        }
        var text = body.ToString();

        using var response = await client.SubmitFormAsync("/admin/posts/new", new Dictionary<string, string>
        {
            ["Title"] = "A very long post", ["Body"] = text, ["Labels"] = "long", ["Command"] = "publish",
        });
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            $"The body is {text.Length:N0} characters long; the limit is 200,000. Split it into two posts or shorten it.",
            page.QuerySelector("#Body-error")!.TextContent);
        Assert.Equal(text, page.QuerySelector("textarea[name=Body]")!.TextContent);
        Assert.Equal("A very long post", page.QuerySelector("input[name=Title]")!.GetAttribute("value"));
        using var db = app.OpenDatabase();
        using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM posts";
        Assert.Equal(0L, count.ExecuteScalar());
    }
}
