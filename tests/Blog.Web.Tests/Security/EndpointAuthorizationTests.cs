using System.Net;
using Blog.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Security;

/// <summary>
/// Every endpoint the app maps that can change state is listed here with who may call it. A new endpoint
/// that is not in the table fails <see cref="EveryUnsafeEndpointHasARule"/>, so nothing slips in unguarded.
/// Each refused request must leave the database exactly as it was.
/// </summary>
public sealed class EndpointAuthorizationTests(VisitorsFixture visitors) : IClassFixture<VisitorsFixture>
{
    private static readonly string[] UnsafeMethods = [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    /// <summary>Route pattern → how to call it and what each visitor gets.</summary>
    private static readonly EndpointRule[] Rules =
    [
        // Read-only pages that answer any method (error pages are re-executed for failed POSTs too).
        EndpointRule.ReadOnly("error"),
        EndpointRule.ReadOnly("error/{statusCode:int}"),
        EndpointRule.ReadOnly("healthz"),

        // Account: open to everyone; signing out is harmless for anyone.
        EndpointRule.For("account/register", Everyone(Outcome.Allowed)),
        EndpointRule.For("account/sign-in", Everyone(Outcome.Allowed)),
        EndpointRule.For("account/sign-out", Everyone(Outcome.Allowed)) with { EndsSession = true },
    ];

    public static TheoryData<string, Visitor> Cases()
    {
        var cases = new TheoryData<string, Visitor>();
        foreach (var rule in Rules.Where(r => !r.IsReadOnly))
        {
            foreach (var visitor in Enum.GetValues<Visitor>())
            {
                cases.Add(rule.Pattern, visitor);
            }
        }
        return cases;
    }

    [Fact]
    public void EveryUnsafeEndpointHasARule()
    {
        var mapped = visitors.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint =>
            {
                var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
                return methods is null || methods.Count == 0 || methods.Any(m => UnsafeMethods.Contains(m, StringComparer.OrdinalIgnoreCase));
            })
            .Select(endpoint => endpoint.RoutePattern.RawText!.TrimStart('/'))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        var missing = mapped.Except(Rules.Select(r => r.Pattern)).ToList();
        var stale = Rules.Select(r => r.Pattern).Except(mapped).ToList();

        Assert.True(missing.Count == 0, "Endpoints that change state but have no authorization rule: " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "Rules for endpoints the app no longer maps: " + string.Join(", ", stale));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task UnsafeEndpointAnswersEachVisitorAsTheTableSays(string pattern, Visitor visitor)
    {
        var rule = Rules.Single(r => r.Pattern == pattern);
        var expected = rule.Expected[visitor];
        using var freshClient = rule.EndsSession ? await visitors.NewClientAsync(visitor) : null;
        var client = freshClient ?? visitors.ClientFor(visitor);
        var url = await rule.UrlFor(visitors);
        var before = await DatabaseSnapshot.TakeAsync(visitors.App);

        using var response = await client.PostAsync(url, rule.Fields, visitor == Visitor.Anonymous ? "/account/sign-in" : "/");
        var outcome = Classify(response);

        Assert.True((int)response.StatusCode < 500, $"POST {url} as {visitor} answered {(int)response.StatusCode}");
        Assert.Equal(expected, outcome);
        if (outcome != Outcome.Allowed)
        {
            Assert.Equal(before, await DatabaseSnapshot.TakeAsync(visitors.App));
        }
    }

    [Theory]
    [MemberData(nameof(UnsafePatterns))]
    public async Task PostWithoutAnAntiforgeryTokenIsRejectedAndChangesNothing(string pattern)
    {
        var rule = Rules.Single(r => r.Pattern == pattern);
        using var owner = await visitors.NewClientAsync(Visitor.Owner);
        var url = await rule.UrlFor(visitors);
        var before = await DatabaseSnapshot.TakeAsync(visitors.App);

        using var response = await owner.Http.PostAsync(url, new FormUrlEncodedContent(rule.Fields));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(visitors.App));
    }

    public static TheoryData<string> UnsafePatterns() => [.. Rules.Where(r => !r.IsReadOnly).Select(r => r.Pattern)];

    private static Outcome Classify(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.Redirect or HttpStatusCode.Found when response.Headers.Location?.OriginalString.Contains("/account/sign-in", StringComparison.OrdinalIgnoreCase) == true => Outcome.SignIn,
        HttpStatusCode.Forbidden => Outcome.Forbidden,
        HttpStatusCode.NotFound => Outcome.NotFound,
        _ => Outcome.Allowed,
    };

    private static Dictionary<Visitor, Outcome> Everyone(Outcome outcome) =>
        Enum.GetValues<Visitor>().ToDictionary(v => v, _ => outcome);

    /// <summary>Members, authors and the owner are allowed; readers, revoked members and banned people get 403.</summary>
    internal static Dictionary<Visitor, Outcome> MembersOnly() => new()
    {
        [Visitor.Anonymous] = Outcome.SignIn,
        [Visitor.Reader] = Outcome.Forbidden,
        [Visitor.Member] = Outcome.Allowed,
        [Visitor.RevokedMember] = Outcome.Forbidden,
        [Visitor.Banned] = Outcome.Forbidden,
        [Visitor.Author] = Outcome.Allowed,
        [Visitor.Owner] = Outcome.Allowed,
    };

    internal static Dictionary<Visitor, Outcome> AuthorsOnly() => new(MembersOnly())
    {
        [Visitor.Member] = Outcome.Forbidden,
    };

    internal static Dictionary<Visitor, Outcome> OwnerOnly() => new(AuthorsOnly())
    {
        [Visitor.Author] = Outcome.Forbidden,
    };

    /// <summary>Anyone signed in, including readers and banned people (their own account); anonymous → sign in.</summary>
    internal static Dictionary<Visitor, Outcome> SignedIn() => new(Everyone(Outcome.Allowed))
    {
        [Visitor.Anonymous] = Outcome.SignIn,
    };
}

/// <summary>One row of the table: a route pattern, how to build a URL for it, the form to send, and the outcomes.</summary>
public sealed record EndpointRule(string Pattern, Dictionary<Visitor, Outcome> Expected)
{
    public Func<VisitorsFixture, Task<string>> UrlFor { get; init; } = _ => Task.FromResult("/" + Pattern);

    public Dictionary<string, string> Fields { get; init; } = [];

    public bool IsReadOnly { get; init; }

    /// <summary>The request signs the visitor out (or similar): use a throwaway client.</summary>
    public bool EndsSession { get; init; }

    public static EndpointRule For(string pattern, Dictionary<Visitor, Outcome> expected) => new(pattern, expected);

    public static EndpointRule ReadOnly(string pattern) => new(pattern, []) { IsReadOnly = true };
}
