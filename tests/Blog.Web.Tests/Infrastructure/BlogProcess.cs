using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// The real app in a child process (<c>dotnet Blog.Web.dll</c>, copied into the test output by the project
/// reference), for tests that must kill it the way a crash or a power cut would, which an in-process host cannot.
/// </summary>
public sealed class BlogProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private BlogProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The connection string's variable; when the settings give it, the run's per-folder database is not used.</summary>
    public const string OwnDatabaseVariable = "ConnectionStrings__Blog";

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts the blog; <paramref name="settings"/> are environment variables, <paramref name="arguments"/> go on its
    /// command line. With <paramref name="scheme"/> "https" the settings must name a certificate for Kestrel.
    /// </summary>
    public static BlogProcess Start(
        string dataDirectory,
        IReadOnlyDictionary<string, string>? settings = null,
        IEnumerable<string>? arguments = null,
        string scheme = "http")
    {
        var address = new Uri(string.Create(CultureInfo.InvariantCulture, $"{scheme}://127.0.0.1:{FreePort()}"));
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Blog.Web.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString().TrimEnd('/'));
        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Blog__DataDirectory"] = dataDirectory;
        // Settings that name a database of their own (several instances on one) replace the folder's.
        if (settings?.ContainsKey(OwnDatabaseVariable) != true)
        {
            foreach (var (name, value) in TestDatabase.EnvironmentVariables(dataDirectory))
            {
                start.Environment[name] = value;
            }
        }
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = new Process { StartInfo = start };
        var blog = new BlogProcess(process, address);
        process.OutputDataReceived += (_, line) => blog.Record(line.Data);
        process.ErrorDataReceived += (_, line) => blog.Record(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return blog;
    }

    /// <summary>What the process printed, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Polls <c>/healthz</c>; <paramref name="handler"/> is for an https blog whose certificate the test trusts.</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout, HttpMessageHandler? handler = null)
    {
        using var http = new HttpClient(handler ?? new HttpClientHandler(), disposeHandler: handler is null) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, "The blog process exited while starting:\n" + Output);
            try
            {
                using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        Assert.Fail($"The blog process did not answer /healthz within {timeout}:\n{Output}");
    }

    /// <summary>The exit code once the process has ended by itself, or null if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        return _process.ExitCode;
    }

    /// <summary>SIGKILL on Linux: no shutdown code runs, nothing is flushed by the app.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            KillHard();
        }
        _process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
