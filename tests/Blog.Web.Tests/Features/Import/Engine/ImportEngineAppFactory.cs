using Blog.Web.Features.Import;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Import.Engine;

/// <summary>A blog whose replies nest at most two levels deep, so flattening is cheap to reach.</summary>
public sealed class ImportEngineAppFactory : BlogAppFactory
{
    public ImportEngineAppFactory()
    {
        Settings["Blog:Comments:MaxDepth"] = "2";
    }

    /// <summary>Imports <paramref name="source"/> as a fresh owner would (a new importer account the first time).</summary>
    public async Task<ImportReport> ImportAsync(FakeImportSource source, bool dryRun = false, string? importerId = null, bool fetchRemoteImages = false)
    {
        importerId ??= (await ImporterAsync()).Id;
        var runner = ActivatorUtilities.CreateInstance<ImportRunner>(Services, (ImportSourceOpener)(_ => source));
        var request = new ImportRequest { FilePath = "export.xml", ImporterId = importerId, DryRun = dryRun, FetchRemoteImages = fetchRemoteImages };
        return await runner.RunAsync(source, request, progress: null, CancellationToken.None);
    }

    private Member? _importer;

    public async Task<Member> ImporterAsync() => _importer ??= await BlogClient.CreateAccountAsync(this, MemberRole.Owner);
}
