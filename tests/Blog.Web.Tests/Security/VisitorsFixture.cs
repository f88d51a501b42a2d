using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;

namespace Blog.Web.Tests.Security;

/// <summary>One blog with a signed-in client for every kind of visitor.</summary>
public sealed class VisitorsFixture : IAsyncLifetime
{
    private readonly Dictionary<Visitor, BlogClient> _clients = [];

    public BlogAppFactory App { get; } = new();

    public Dictionary<Visitor, Member> Accounts { get; } = [];

    public BlogClient ClientFor(Visitor visitor) => _clients[visitor];

    /// <summary>A brand-new account and client of the given kind, for requests that would spoil the shared one.</summary>
    public async Task<BlogClient> NewClientAsync(Visitor visitor)
    {
        if (visitor == Visitor.Anonymous)
        {
            return new BlogClient(App);
        }
        var role = visitor switch
        {
            Visitor.Reader => MemberRole.Reader,
            Visitor.Author => MemberRole.Author,
            Visitor.Owner => MemberRole.Owner,
            _ => MemberRole.Member,
        };
        var (client, member) = await BlogClient.SignedInAsync(App, role);
        await DemoteAsync(visitor, member);
        return client;
    }

    private async Task DemoteAsync(Visitor visitor, Member member)
    {
        // Revoked and banned after signing in: their cookies still say "member", the server must not believe them.
        await using var connection = App.OpenDatabase();
        if (visitor == Visitor.RevokedMember)
        {
            await connection.ExecuteAsync("UPDATE members SET role = 'reader' WHERE id = @Id", new { member.Id });
        }
        if (visitor == Visitor.Banned)
        {
            await connection.ExecuteAsync("UPDATE members SET banned_at = '2026-01-01 00:00:00.0000000' WHERE id = @Id", new { member.Id });
        }
    }

    public async Task InitializeAsync()
    {
        // The table posts many comments as one member within a minute.
        App.Settings["Blog:Comments:PerMinute"] = "10000";
        _clients[Visitor.Anonymous] = new BlogClient(App);
        foreach (var (visitor, role) in new[]
        {
            (Visitor.Reader, MemberRole.Reader), (Visitor.Member, MemberRole.Member), (Visitor.RevokedMember, MemberRole.Member),
            (Visitor.Banned, MemberRole.Member), (Visitor.Author, MemberRole.Author), (Visitor.Owner, MemberRole.Owner),
        })
        {
            var (client, member) = await BlogClient.SignedInAsync(App, role);
            await DemoteAsync(visitor, member);
            _clients[visitor] = client;
            Accounts[visitor] = member;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
        await App.DisposeAsync();
    }
}
