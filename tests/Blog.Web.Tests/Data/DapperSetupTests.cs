using Blog.Web.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Blog.Web.Tests.Data;

/// <summary>
/// Times on SQLite are text: the handlers that also bind PostgreSQL's timestamptz must leave that text exactly as
/// existing databases hold it, and read it back as UTC.
/// </summary>
public sealed class DapperSetupTests : IDisposable
{
    private static readonly DateTime Noon = new(2026, 1, 2, 12, 0, 0, DateTimeKind.Utc);

    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public DapperSetupTests()
    {
        DapperSetup.Configure();
        _connection.Open();
    }

    public void Dispose() => _connection.Dispose();

    [Theory]
    [InlineData(0, "2026-01-02 12:00:00")]
    [InlineData(1200, "2026-01-02 12:00:00.00012")]
    [InlineData(1234567, "2026-01-02 12:00:00.1234567")]
    public void ADateTimeIsBoundAsTheTextSqliteAlwaysStored(long ticks, string stored)
    {
        Assert.Equal(stored, _connection.ExecuteScalar<string>("SELECT @At", new { At = Noon.AddTicks(ticks) }));
        Assert.Equal(stored, _connection.ExecuteScalar<string>("SELECT @At", new { At = (DateTime?)Noon.AddTicks(ticks) }));
    }

    [Fact]
    public void ADateTimeOffsetIsBoundAsTheTextSqliteAlwaysStored() =>
        Assert.Equal("2026-01-02 12:00:00.0001234+00:00", _connection.ExecuteScalar<string>("SELECT @At", new { At = new DateTimeOffset(Noon.AddTicks(1234)) }));

    [Fact]
    public void ANullTimeIsBoundAsNull() =>
        Assert.Equal("null", _connection.ExecuteScalar<string>("SELECT typeof(@At)", new { At = (DateTime?)null }));

    [Theory]
    [InlineData("2026-01-02 12:00:00")]
    [InlineData("2026-01-02 12:00:00.0000000")]
    public void StoredTextIsReadBackAsUtc(string stored)
    {
        var read = _connection.ExecuteScalar<DateTime?>("SELECT @Stored", new { Stored = stored });

        Assert.Equal(Noon, read);
        Assert.Equal(DateTimeKind.Utc, read!.Value.Kind);
        Assert.Equal(new DateTimeOffset(Noon), _connection.ExecuteScalar<DateTimeOffset>("SELECT @Stored", new { Stored = stored + "+00:00" }));
    }
}
