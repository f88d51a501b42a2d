using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// A visitor's browser for integration tests: keeps cookies, never follows redirects on its own, and fills
/// in forms the way a browser does (the form's action, its hidden fields and antiforgery token, plus ours).
/// </summary>
/// <remarks>Pass <paramref name="baseAddress"/> (e.g. https://localhost/) to browse over another scheme or host.</remarks>
public sealed class BlogClient(BlogAppFactory app, Uri? baseAddress = null) : IDisposable
{
    public const string Password = "correct horse battery staple";

    /// <summary>The form field that carries the antiforgery token.</summary>
    public const string AntiforgeryField = "__RequestVerificationToken";

    private static readonly HtmlParser Parser = new();

    public HttpClient Http { get; } = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = baseAddress ?? app.ClientOptions.BaseAddress });

    public BlogAppFactory App => app;

    public Task<HttpResponseMessage> GetAsync(string url) => Http.GetAsync(url);

    public async Task<IHtmlDocument> GetPageAsync(string url)
    {
        using var response = await Http.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)response.StatusCode}");
        return Parser.ParseDocument(await response.Content.ReadAsStringAsync());
    }

    public static IHtmlDocument Parse(string html) => Parser.ParseDocument(html);

    /// <summary>The visible text of an HTML response, entities decoded, as a reader would read it.</summary>
    public static async Task<string> TextOfAsync(HttpResponseMessage response) =>
        Parser.ParseDocument(await response.Content.ReadAsStringAsync()).Body?.TextContent ?? "";

    /// <summary>Loads <paramref name="pageUrl"/>, fills the form matching <paramref name="formSelector"/> and submits it.</summary>
    public async Task<HttpResponseMessage> SubmitFormAsync(string pageUrl, IDictionary<string, string> fields, string formSelector = "main form")
    {
        var (action, content) = await FillFormAsync(pageUrl, fields, formSelector);
        return await Http.PostAsync(action, content);
    }

    /// <summary>
    /// Loads <paramref name="pageUrl"/> and fills the form as <see cref="SubmitFormAsync"/> does, without sending it:
    /// the address it posts to and its body, for tests that time the sending themselves.
    /// </summary>
    public async Task<(string Action, FormUrlEncodedContent Content)> FillFormAsync(string pageUrl, IDictionary<string, string> fields, string formSelector = "main form")
    {
        var page = await GetPageAsync(pageUrl);
        var form = page.QuerySelector(formSelector) as IHtmlFormElement
            ?? throw new InvalidOperationException($"No form '{formSelector}' on {pageUrl}");
        var values = form.QuerySelectorAll("input[type=hidden]")
            .OfType<IHtmlInputElement>()
            .Where(input => !string.IsNullOrEmpty(input.Name))
            .GroupBy(input => input.Name!)
            .ToDictionary(group => group.Key, group => group.First().Value);
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }
        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? pageUrl : form.GetAttribute("action")!;
        return (action, new FormUrlEncodedContent(values));
    }

    /// <summary>Posts straight to a URL with the antiforgery token taken from <paramref name="tokenPageUrl"/>.</summary>
    public async Task<HttpResponseMessage> PostAsync(string url, IDictionary<string, string> fields, string tokenPageUrl = "/")
    {
        var values = new Dictionary<string, string>(fields) { [AntiforgeryField] = await AntiforgeryTokenAsync(tokenPageUrl) };
        return await Http.PostAsync(url, new FormUrlEncodedContent(values));
    }

    /// <summary>
    /// This client's antiforgery token as a form on <paramref name="pageUrl"/> carries it. Tokens are tied to who is
    /// signed in, so one serves every post until the client signs in or out.
    /// </summary>
    public async Task<string> AntiforgeryTokenAsync(string pageUrl = "/") => AntiforgeryToken(await GetPageAsync(pageUrl), pageUrl);

    /// <summary>The antiforgery token in a form of <paramref name="page"/>, fetched from <paramref name="pageUrl"/>.</summary>
    public static string AntiforgeryToken(IHtmlDocument page, string pageUrl) =>
        page.QuerySelector($"input[name={AntiforgeryField}]")?.GetAttribute("value")
            ?? throw new InvalidOperationException($"No antiforgery token on {pageUrl}");

    public async Task SignInAsync(string email, string password = Password)
    {
        using var response = await SubmitFormAsync("/account/sign-in", new Dictionary<string, string>
        {
            ["Email"] = email,
            ["Password"] = password,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in as {email} answered {(int)response.StatusCode}");
    }

    /// <summary>"Download your data" through its form, which asks for the password; the JSON file it answers with.</summary>
    public async Task<JsonDocument> DownloadAccountDataAsync(string password = Password)
    {
        using var response = await SubmitFormAsync("/account/data", new Dictionary<string, string> { ["Form.Password"] = password });
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json", $"The data download answered {(int)response.StatusCode} {response.Content.Headers.ContentType}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Creates a confirmed account directly (fast), for tests that are about something else.</summary>
    public static async Task<Member> CreateAccountAsync(BlogAppFactory app, MemberRole role, string? email = null, string? displayName = null)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Member>>();
        email ??= $"{role.ToName()}-{Guid.NewGuid():N}@example.test";
        var member = new Member
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName ?? $"Test {role}",
            Role = role,
        };
        var result = await users.CreateAsync(member, Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return member;
    }

    /// <summary>A new client already signed in as a fresh account with the given role.</summary>
    public static async Task<(BlogClient Client, Member Member)> SignedInAsync(BlogAppFactory app, MemberRole role)
    {
        var member = await CreateAccountAsync(app, role);
        var client = new BlogClient(app);
        await client.SignInAsync(member.Email!);
        return (client, member);
    }

    public void Dispose() => Http.Dispose();
}
