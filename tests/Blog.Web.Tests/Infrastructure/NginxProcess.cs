using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// An nginx of its own, in the foreground, with everything it writes (pid, logs, temporary files) in a folder of its
/// own. It is given what a site's file holds (upstreams and servers); around it goes what Debian's
/// <c>/etc/nginx/nginx.conf</c> would put there, pointed at that folder.
/// </summary>
public sealed class NginxProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _output = new();

    private NginxProcess(Process process, string folder)
    {
        _process = process;
        _folder = folder;
    }

    /// <summary>nginx from the PATH or Debian's /usr/sbin (not on a user's PATH); null when it is not installed.</summary>
    public static string? Binary { get; } = (System.Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/sbin").Append("/usr/local/sbin")
        .Select(folder => Path.Combine(folder, "nginx")).FirstOrDefault(File.Exists);

    /// <summary>The error log and the server's own output, for failure messages.</summary>
    public string Log
    {
        get
        {
            var errors = Path.Combine(_folder, "error.log");
            lock (_output)
            {
                return _output + (File.Exists(errors) ? File.ReadAllText(errors) : "");
            }
        }
    }

    /// <summary>Starts nginx with <paramref name="site"/> inside its http block and waits until <paramref name="port"/> accepts connections.</summary>
    public static async Task<NginxProcess> StartAsync(string site, int port)
    {
        var binary = Binary ?? throw new InvalidOperationException(
            "The test of instances behind nginx needs nginx: install nginx-light (apt-get install -y nginx-light); tests/run.sh does when run as root.");
        var folder = TestDataFolder.Create();
        var temporary = Directory.CreateDirectory(Path.Combine(folder, "tmp")).FullName;
        // Started as root, nginx's workers drop to an unprivileged user, which must still reach its temporary files.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
            File.SetUnixFileMode(temporary, (UnixFileMode)0b111_111_111);
        }
        var configuration = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(configuration, $$"""
            worker_processes 1;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{temporary}}/body;
                proxy_temp_path {{temporary}}/proxy;
                fastcgi_temp_path {{temporary}}/fastcgi;
                uwsgi_temp_path {{temporary}}/uwsgi;
                scgi_temp_path {{temporary}}/scgi;
            {{site}}
            }
            """);
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(binary)
            {
                ArgumentList = { "-p", folder, "-c", configuration, "-e", Path.Combine(folder, "error.log"), "-g", "daemon off;" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        var nginx = new NginxProcess(process, folder);
        process.OutputDataReceived += (_, line) => nginx.Record(line.Data);
        process.ErrorDataReceived += (_, line) => nginx.Record(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (process.HasExited)
            {
                break;
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return nginx;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        var failure = $"nginx did not start with the configuration:\n{await File.ReadAllTextAsync(configuration)}\n{nginx.Log}";
        nginx.Dispose();
        throw new InvalidOperationException(failure);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        TestDataFolder.Delete(_folder);
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
}
