using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Blog.Web.Hosting.Postgres;

/// <summary>
/// The data-protection key ring in the <c>data_protection_keys</c> table, so a sign-in cookie or form token made by one
/// instance is read by every other. The key manager writes an element when it makes or revokes a key (every few
/// months) and reads them all at start and when it refreshes its ring, so these synchronous calls are rare. Two
/// instances that start together on an empty table may each add a key: both rows stay, each reads both, and while a
/// ring is minutes old a payload under a key it lacks makes the key manager read the table again.
/// </summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource dataSource, TimeProvider clock) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = dataSource.OpenConnection();
        return [.. connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY id;").Select(xml => XElement.Parse(xml))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        const string sql = """
            INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES (@FriendlyName, @Xml, @CreatedAt);
            """;
        using var connection = dataSource.OpenConnection();
        connection.Execute(sql, new
        {
            FriendlyName = friendlyName,
            Xml = element.ToString(SaveOptions.DisableFormatting),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
    }
}
