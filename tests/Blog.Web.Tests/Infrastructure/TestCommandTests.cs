using System.Diagnostics;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>tests/run.sh, the README's test command, on a machine that lacks what the tests need.</summary>
public sealed class TestCommandTests : IDisposable
{
    private readonly string _bin = TestDataFolder.Create();

    public void Dispose() => TestDataFolder.Delete(_bin);

    [Fact]
    public async Task WithoutChromiumJavaOrNpmItSaysWhatIsMissingAndEndsWithASetupFailureNotACount()
    {
        // A PATH with only the few programs the script needs before it runs any test: no java, npm or apt-get.
        var bash = OnPath("bash");
        foreach (var program in new[] { "dirname", "id" })
        {
            File.CreateSymbolicLink(Path.Combine(_bin, program), OnPath(program));
        }
        var start = new ProcessStartInfo(bash)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "tests", "run.sh"));
        start.Environment.Clear();
        start.Environment["PATH"] = _bin;
        start.Environment["QUIRE_NO_INSTALL"] = "1";
        start.Environment["QUIRE_CHROMIUM"] = Path.Combine(_bin, "no-such-chromium");

        using var script = Process.Start(start)!;
        var stdout = script.StandardOutput.ReadToEndAsync();
        var stderr = script.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await script.WaitForExitAsync(timeout.Token);
        var said = await stdout + await stderr;

        Assert.Equal(1, script.ExitCode);
        Assert.Equal("0 passed, 0 failed (setup failed: chromium missing)", (await stdout).TrimEnd().Split('\n')[^1]);
        Assert.Contains("Chromium at " + Path.Combine(_bin, "no-such-chromium"), said, StringComparison.Ordinal);
        Assert.Contains("apt-get install -y chromium", said, StringComparison.Ordinal);
        Assert.Contains("default-jre-headless", said, StringComparison.Ordinal);
        Assert.DoesNotContain("Installing", said, StringComparison.Ordinal);
    }

    private static string OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
            .Select(dir => Path.Combine(dir, program))
            .First(File.Exists);
}
