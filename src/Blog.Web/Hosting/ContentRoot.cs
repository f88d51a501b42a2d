namespace Blog.Web.Hosting;

/// <summary>
/// Where the app looks for its <c>wwwroot</c> (and, by default, its data folder). ASP.NET Core takes the working
/// directory, which is right for <c>dotnet run</c> and for a service started in the app's folder; but a published
/// blog started from elsewhere (<c>dotnet /opt/quire/Blog.Web.dll</c>) would then find no stylesheet and answer its
/// fingerprinted address with an empty 200. In that one case the app's own folder is used instead.
/// </summary>
public static class ContentRoot
{
    /// <summary>
    /// The app's folder when the working directory has no <c>wwwroot</c> and the app's folder has one, unless a
    /// content root was asked for (<c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c>, <c>DOTNET_CONTENTROOT</c>);
    /// otherwise null, which keeps ASP.NET Core's default.
    /// </summary>
    public static string? Choose(
        IReadOnlyList<string> args, string workingDirectory, string appDirectory, Func<string, string?> environment)
    {
        var asked = args.Any(arg => arg.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(environment("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(environment("DOTNET_CONTENTROOT"));
        if (asked || Directory.Exists(Path.Combine(workingDirectory, "wwwroot")))
        {
            return null;
        }
        return Directory.Exists(Path.Combine(appDirectory, "wwwroot")) ? appDirectory : null;
    }

    /// <summary><see cref="Choose"/> for this process.</summary>
    public static string? ForThisProcess(IReadOnlyList<string> args) =>
        Choose(args, Directory.GetCurrentDirectory(), AppContext.BaseDirectory, Environment.GetEnvironmentVariable);
}
