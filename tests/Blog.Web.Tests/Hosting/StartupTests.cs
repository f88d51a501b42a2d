using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Hosting;

/// <summary>What happens when the blog starts: where its settings come from, where its data goes, what it says.</summary>
public sealed class StartupTests : IDisposable
{
    private const string DescriptionInRootFile = "Thoughts, notes and stories.";

    private readonly List<string> _folders = [];

    public void Dispose()
    {
        foreach (var folder in _folders)
        {
            TestDataFolder.Delete(folder);
        }
    }

    [Fact]
    public async Task TheRootAppSettingsFileIsLoaded()
    {
        await using var app = new BlogAppFactory();

        var settings = await app.Services.GetRequiredService<SiteSettingsStore>().GetAsync();

        // Only the repository's appsettings.json says this (the code's default is different), and the in-process
        // host's content root (src/Blog.Web) has no settings file of its own.
        Assert.NotEqual(DescriptionInRootFile, new SiteDefaults().Description);
        Assert.Equal(DescriptionInRootFile, settings.Description);
    }

    [Fact]
    public async Task EnvironmentVariablesAndTheCommandLineOverrideTheRootAppSettingsFile()
    {
        var dataFolder = TrackedFolder(TestDataFolder.Create());
        using var blog = BlogProcess.Start(
            dataFolder,
            new Dictionary<string, string>
            {
                ["Blog__Defaults__Description"] = "Described by the environment",
                ["Blog__Defaults__Title"] = "Titled by the environment",
            },
            ["--Blog:Defaults:Title=Titled on the command line"]);
        await blog.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = blog.Address };

        var html = await http.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("Described by the environment", html, StringComparison.Ordinal);
        Assert.DoesNotContain(DescriptionInRootFile, html, StringComparison.Ordinal);
        Assert.Contains("<title>Titled on the command line</title>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingDataFolderIsCreatedAndStartupLogsItsAbsolutePathAndTheAddress()
    {
        // Relative to the blog's content root (its working directory here), two levels that do not exist yet.
        var top = "startup-" + Guid.NewGuid().ToString("N");
        var relative = Path.Combine(top, "data");
        var expected = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, relative));
        TrackedFolder(Path.Combine(AppContext.BaseDirectory, top));
        Assert.False(Directory.Exists(expected));

        using var blog = BlogProcess.Start(relative);
        await blog.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        var address = blog.Address.ToString().TrimEnd('/');

        Assert.True(Directory.Exists(expected), $"{expected} was not created.");
        Assert.Equal(!TestDatabase.IsPostgreSql, File.Exists(Path.Combine(expected, "blog.db")));
        await WaitForOutputAsync(blog, $"Data folder: {expected}");
        await WaitForOutputAsync(blog, $"Quire is serving at {address}");
        using var http = new HttpClient { BaseAddress = blog.Address };
        using var home = await http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task AnHttpsAddressInUrlsIsServedWithTheCertificateFromTheSettings()
    {
        var dataFolder = TrackedFolder(TestDataFolder.Create());
        using var certificate = SelfSignedCertificate();
        var certificatePath = Path.Combine(dataFolder, "tls.pfx");
        const string password = "pfx-password";
        await File.WriteAllBytesAsync(certificatePath, certificate.Export(X509ContentType.Pfx, password));
        using var blog = BlogProcess.Start(
            dataFolder,
            new Dictionary<string, string>
            {
                ["Kestrel__Certificates__Default__Path"] = certificatePath,
                ["Kestrel__Certificates__Default__Password"] = password,
            },
            scheme: "https");
        // Trust exactly this certificate, so the answer proves the blog presented the one its settings name.
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
        };

        await blog.WaitUntilServingAsync(TimeSpan.FromSeconds(60), handler);
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = blog.Address };
        using var home = await http.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private string TrackedFolder(string path)
    {
        _folders.Add(path);
        return path;
    }

    /// <summary>The startup lines are written once the server has started, by the console logger's own thread.</summary>
    private static async Task WaitForOutputAsync(BlogProcess blog, string expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!blog.Output.Contains(expected, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.True(blog.Output.Contains(expected, StringComparison.Ordinal), $"The startup log does not say \"{expected}\":\n{blog.Output}");
    }
}
