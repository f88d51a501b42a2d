using Blog.Web.Data;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Blog.Web.Tests.Data;

/// <summary>The same refusal or failure, told apart whichever engine reports it.</summary>
public sealed class DatabaseErrorsTests
{
    private static readonly UniqueKey Email = new("members.normalized_email", "ux_members_normalized_email");

    [Fact]
    public void SqlitesUniqueRefusalIsRecognisedByItsColumns()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        connection.Execute("CREATE TABLE members (id TEXT PRIMARY KEY, normalized_email TEXT UNIQUE, normalized_user_name TEXT UNIQUE); INSERT INTO members VALUES ('a', 'E', 'U');");

        var email = Assert.Throws<SqliteException>(() => connection.Execute("INSERT INTO members VALUES ('b', 'E', 'V')"));
        var name = Assert.Throws<SqliteException>(() => connection.Execute("INSERT INTO members VALUES ('c', 'F', 'U')"));

        Assert.True(DatabaseErrors.IsUniqueViolation(email, Email));
        Assert.False(DatabaseErrors.IsUniqueViolation(name, Email));
        Assert.True(DatabaseErrors.IsUniqueViolation(name));
        Assert.True(DatabaseErrors.IsConstraintViolation(name));
    }

    [Fact]
    public void PostgreSqlsUniqueRefusalIsRecognisedByItsConstraintName()
    {
        var email = Refusal(PostgresErrorCodes.UniqueViolation, "ux_members_normalized_email");
        var name = Refusal(PostgresErrorCodes.UniqueViolation, "ux_members_normalized_user_name");

        Assert.True(DatabaseErrors.IsUniqueViolation(email, Email));
        Assert.False(DatabaseErrors.IsUniqueViolation(name, Email));
        Assert.True(DatabaseErrors.IsUniqueViolation(name));
    }

    [Theory]
    [InlineData(PostgresErrorCodes.UniqueViolation, true)]
    [InlineData(PostgresErrorCodes.ForeignKeyViolation, true)]
    [InlineData(PostgresErrorCodes.CheckViolation, true)]
    [InlineData(PostgresErrorCodes.SerializationFailure, false)]
    [InlineData(PostgresErrorCodes.SyntaxError, false)]
    public void OnlyPostgreSqlsIntegrityClassIsAConstraintViolation(string sqlState, bool refused) =>
        Assert.Equal(refused, DatabaseErrors.IsConstraintViolation(Refusal(sqlState, "c")));

    [Fact]
    public void AFailureOfAnotherKindIsNoConstraintViolation() =>
        Assert.False(DatabaseErrors.IsUniqueViolation(new InvalidOperationException("members.normalized_email")));

    [Theory]
    [InlineData(PostgresErrorCodes.DiskFull, DatabaseFailure.Kind.CannotSave)]
    [InlineData(PostgresErrorCodes.ReadOnlySqlTransaction, DatabaseFailure.Kind.CannotSave)]
    [InlineData(PostgresErrorCodes.IoError, DatabaseFailure.Kind.CannotSave)]
    [InlineData(PostgresErrorCodes.LockNotAvailable, DatabaseFailure.Kind.Busy)]
    [InlineData(PostgresErrorCodes.DeadlockDetected, DatabaseFailure.Kind.Busy)]
    [InlineData(PostgresErrorCodes.QueryCanceled, DatabaseFailure.Kind.Busy)]
    [InlineData(PostgresErrorCodes.UniqueViolation, DatabaseFailure.Kind.None)]
    [InlineData(PostgresErrorCodes.SyntaxError, DatabaseFailure.Kind.None)]
    public void PostgreSqlFailuresAboutTheMachineAreToldApart(string sqlState, DatabaseFailure.Kind kind) =>
        Assert.Equal(kind, DatabaseFailure.Classify(new InvalidOperationException("wrapped", Refusal(sqlState, constraint: null))));

    [Fact]
    public void AnExhaustedConnectionPoolIsBusy() =>
        Assert.Equal(DatabaseFailure.Kind.Busy, DatabaseFailure.Classify(new NpgsqlException("The connection pool has been exhausted", new TimeoutException())));

    private static PostgresException Refusal(string sqlState, string? constraint) =>
        new("refused", "ERROR", "ERROR", sqlState, constraintName: constraint);
}
