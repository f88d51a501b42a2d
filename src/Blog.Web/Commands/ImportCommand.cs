using Blog.Web.Data;
using Blog.Web.Features.Import;
using Blog.Web.Features.Import.Runs;
using Microsoft.AspNetCore.Identity;

namespace Blog.Web.Commands;

/// <summary>
/// <c>import &lt;file-or-zip&gt; [--dry-run] [--uploads &lt;folder&gt;] [--fetch-remote-images] [--as &lt;email&gt;]</c>:
/// imports a Blogger or WordPress export, safe to run while the blog is serving. Progress goes to standard error and
/// the report to standard output. The imported posts are the owner's, or those of the author named with --as.
/// </summary>
public sealed class ImportCommand : IBlogCommand
{
    private const string Usage = "Usage: import <export file or zip> [--dry-run] [--uploads <WordPress uploads folder>] [--fetch-remote-images] [--as <author's email>]";

    public async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CommandConsole console, CancellationToken cancellationToken)
    {
        if (!TryParse(args, out var options, out var problem))
        {
            await console.Error.WriteLineAsync(problem);
            await console.Error.WriteLineAsync(Usage);
            return 1;
        }
        var path = Path.GetFullPath(options.File);
        if (!File.Exists(path))
        {
            await console.Error.WriteLineAsync($"There is no file at {path}.");
            return 1;
        }
        var uploads = options.Uploads is null ? null : Path.GetFullPath(options.Uploads);
        if (uploads is not null && !Directory.Exists(uploads))
        {
            await console.Error.WriteLineAsync($"There is no folder at {uploads} (--uploads names the WordPress uploads folder).");
            return 1;
        }

        await services.GetRequiredService<SchemaMigrator>().ApplyAsync(cancellationToken);
        var email = options.As is null ? null : services.GetRequiredService<ILookupNormalizer>().NormalizeEmail(options.As);
        if (await services.GetRequiredService<ImportRunStore>().ImporterAsync(email, cancellationToken) is not { } importer)
        {
            await console.Error.WriteLineAsync(options.As is null
                ? "This blog has no owner yet: create one (create-owner, or the setup link) and import again."
                : $"No author or owner of this blog has the address {options.As}.");
            return 1;
        }

        ImportReport report;
        try
        {
            await using var scope = services.CreateAsyncScope();
            report = await scope.ServiceProvider.GetRequiredService<IImportRunner>().RunAsync(new ImportRequest
            {
                FilePath = path,
                FileName = Path.GetFileName(path),
                UploadsFolder = uploads,
                DryRun = options.DryRun,
                FetchRemoteImages = options.FetchRemoteImages,
                ImporterId = importer.Id,
            }, new ConsoleProgress(console.Error), cancellationToken);
        }
        catch (ImportRefusedException refused)
        {
            await console.Error.WriteLineAsync($"{Path.GetFileName(path)} cannot be imported: {refused.Message}");
            return 1;
        }
        foreach (var line in ImportReportSummary.Lines(report))
        {
            await console.Out.WriteLineAsync(line);
        }
        return 0;
    }

    private sealed record Options(string File, bool DryRun, string? Uploads, bool FetchRemoteImages, string? As);

    private static bool TryParse(IReadOnlyList<string> args, out Options options, out string problem)
    {
        options = new Options("", false, null, false, null);
        problem = "";
        string? file = null;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[i + 1] : null;
            switch (args[i])
            {
                case "--dry-run":
                    options = options with { DryRun = true };
                    break;
                case "--fetch-remote-images":
                    options = options with { FetchRemoteImages = true };
                    break;
                case "--uploads" when value is not null:
                    options = options with { Uploads = value };
                    i++;
                    break;
                case "--as" when value is not null:
                    options = options with { As = value.Trim() };
                    i++;
                    break;
                case var argument when argument.StartsWith('-'):
                    problem = $"Unknown or incomplete option: {argument}";
                    return false;
                case var argument when file is null:
                    file = argument;
                    break;
                default:
                    problem = "Give one export file.";
                    return false;
            }
        }
        if (file is null)
        {
            problem = "Which file? Give the export file (or zip) to import.";
            return false;
        }
        options = options with { File = file };
        return true;
    }

    /// <summary>Writes a line when the phase changes and at each tenth of the way, whichever thread reports.</summary>
    private sealed class ConsoleProgress(TextWriter error) : IProgress<ImportProgress>
    {
        private readonly Lock _gate = new();
        private string? _phase;
        private long _tenth = -1;

        public void Report(ImportProgress value)
        {
            var tenth = value.Total > 0 ? value.Done * 10 / value.Total : 0;
            lock (_gate)
            {
                if (value.Phase == _phase && tenth == _tenth)
                {
                    return;
                }
                _phase = value.Phase;
                _tenth = tenth;
                error.WriteLine(value.Total > 0 ? $"{value.Phase}: {tenth * 10} %" : value.Phase);
            }
        }
    }
}
