using Microsoft.Extensions.Options;

namespace Blog.Web.Data;

/// <summary>
/// Which database the blog uses: <c>Blog:Database:Provider</c> is <c>Sqlite</c> (the default: one file in the data
/// folder) or <c>PostgreSQL</c>, which then needs <c>ConnectionStrings:Blog</c> (env <c>ConnectionStrings__Blog</c>).
/// </summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Blog:Database";

    public const string ConnectionStringName = "Blog";

    public string Provider { get; set; } = "Sqlite";

    /// <summary>From <c>ConnectionStrings:Blog</c>, outside this section, where hosts expect connection strings.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The engine <see cref="Provider"/> names, or null when it names none.</summary>
    public DatabaseEngine? Engine => Provider.Trim().ToUpperInvariant() switch
    {
        "SQLITE" => DatabaseEngine.Sqlite,
        "POSTGRESQL" => DatabaseEngine.PostgreSql,
        _ => null,
    };
}

/// <summary>Stops the start with one clear line instead of failing at the first query.</summary>
public sealed class DatabaseOptionsValidation : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        return options.Engine switch
        {
            null => ValidateOptionsResult.Fail(
                $"Blog:Database:Provider is '{options.Provider}'; it must be Sqlite (the default) or PostgreSQL."),
            DatabaseEngine.PostgreSql when string.IsNullOrWhiteSpace(options.ConnectionString) => ValidateOptionsResult.Fail(
                "Blog:Database:Provider is PostgreSQL but ConnectionStrings:Blog (env ConnectionStrings__Blog) is not set."),
            _ => ValidateOptionsResult.Success,
        };
    }
}
