using System.Text;
using Blog.Web.Commands;
using Blog.Web.Features.Import;
using Blog.Web.Identity;
using Blog.Web.Tests.Features.Import.Runs;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Commands;

public sealed class ImportCommandTests : IDisposable
{
    private readonly string _folder = TestDataFolder.Create();

    public void Dispose() => TestDataFolder.Delete(_folder);

    private sealed record Run(int ExitCode, string Output, string Error);

    private static async Task<Run> RunAsync(ImportAppFactory app, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CommandConsole(new StringReader(""), output, error, _ => null);
        var command = BlogCommands.Find(["import"])!;

        var exitCode = await command.RunAsync(app.Services, args, console, CancellationToken.None);
        return new Run(exitCode, output.ToString(), error.ToString());
    }

    private string ExportFile(string name = "blog-export.xml")
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"/>", Encoding.UTF8);
        return path;
    }

    [Fact]
    public async Task ImportsAsTheOwnerPrintingProgressAndTheReport()
    {
        using var app = new ImportAppFactory();
        app.Runner.Finish();
        var owner = await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        await BlogClient.CreateAccountAsync(app, MemberRole.Author);
        var uploads = Directory.CreateDirectory(Path.Combine(_folder, "uploads")).FullName;
        var file = ExportFile();

        var run = await RunAsync(app, file, "--uploads", uploads, "--fetch-remote-images");

        Assert.Equal(0, run.ExitCode);
        var (request, content) = Assert.Single(app.Runner.Calls);
        Assert.Equal(file, request.FilePath);
        Assert.Equal("blog-export.xml", request.FileName);
        Assert.Equal(uploads, request.UploadsFolder);
        Assert.Equal(owner.Id, request.ImporterId);
        Assert.True(request.FetchRemoteImages);
        Assert.False(request.DryRun);
        Assert.Equal(await File.ReadAllBytesAsync(file), content);
        Assert.Contains("reading posts: 30 %", run.Error, StringComparison.Ordinal);
        Assert.Contains("storing pictures: 100 %", run.Error, StringComparison.Ordinal);
        var lines = run.Output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Equal("Imported blog-export.xml: WordPress (WXR), \"Old & gold\"", lines[0]);
        Assert.Contains("posts: found 7, imported 5, already there 1, skipped 1 (1 in the trash)", lines);
        Assert.Contains("comments: found 2, imported 1, already there 0, skipped 1 (1 spam)", lines);
        Assert.Contains("line 412: A comment marked as spam was left out.", lines);
        Assert.Contains("kept as a draft (private or password-protected): My <secret> diary", lines);
        Assert.Contains("picture left on the old host: https://1.bp.blogspot.com/a/s1600/cat.jpg (in Cats; More cats)", lines);
    }

    [Fact]
    public async Task ADryRunByANamedAuthorSaysSo()
    {
        using var app = new ImportAppFactory();
        app.Runner.Finish();
        await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        var author = await BlogClient.CreateAccountAsync(app, MemberRole.Author, "Writer@Example.test");

        var run = await RunAsync(app, "--dry-run", "--as", "writer@example.TEST", ExportFile());

        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(app.Runner.Calls).Request;
        Assert.True(request.DryRun);
        Assert.Equal(author.Id, request.ImporterId);
        Assert.StartsWith("Dry run of blog-export.xml", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARefusedFileExitsWithItsReason()
    {
        using var app = new ImportAppFactory();
        app.Runner.Refusal = new ImportRefusedException("line 7: the file ends in the middle of an entry.");
        app.Runner.Finish();
        await BlogClient.CreateAccountAsync(app, MemberRole.Owner);

        var run = await RunAsync(app, ExportFile("cut.xml"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cut.xml cannot be imported: line 7: the file ends in the middle of an entry.", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task WithoutAnOwnerNothingIsImported()
    {
        using var app = new ImportAppFactory();
        app.Runner.Finish();
        await BlogClient.CreateAccountAsync(app, MemberRole.Author);

        var run = await RunAsync(app, ExportFile());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no owner", run.Error, StringComparison.Ordinal);
        Assert.Empty(app.Runner.Calls);
    }

    [Theory]
    [InlineData(MemberRole.Member)]
    [InlineData(MemberRole.Reader)]
    public async Task OnlyAnAuthorOrTheOwnerCanBeNamedWithAs(MemberRole role)
    {
        using var app = new ImportAppFactory();
        app.Runner.Finish();
        await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        var member = await BlogClient.CreateAccountAsync(app, role);

        var unknown = await RunAsync(app, ExportFile(), "--as", "nobody@example.test");
        var notAnAuthor = await RunAsync(app, ExportFile(), "--as", member.Email!);

        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal(1, notAnAuthor.ExitCode);
        Assert.Contains("No author or owner of this blog has the address " + member.Email, notAnAuthor.Error, StringComparison.Ordinal);
        Assert.Empty(app.Runner.Calls);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--dry-run")]
    [InlineData("{file} {file}")]
    [InlineData("{file} --uploads")]
    [InlineData("{file} --as")]
    [InlineData("{file} --verbose")]
    [InlineData("{file} --as --dry-run")]
    public async Task BadArgumentsExitWithTheUsage(string arguments)
    {
        using var app = new ImportAppFactory();
        app.Runner.Finish();
        await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        var file = ExportFile();
        var args = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => a.Replace("{file}", file, StringComparison.Ordinal)).ToArray();

        var run = await RunAsync(app, args);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Usage: import", run.Error, StringComparison.Ordinal);
        Assert.Empty(app.Runner.Calls);
    }

    [Fact]
    public async Task AMissingFileOrUploadsFolderExitsWithAMessage()
    {
        using var app = new ImportAppFactory();
        app.Runner.Finish();
        await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        var missing = Path.Combine(_folder, "no-such-export.xml");

        var noFile = await RunAsync(app, missing);
        var noFolder = await RunAsync(app, ExportFile(), "--uploads", Path.Combine(_folder, "no-such-folder"));

        Assert.Equal(1, noFile.ExitCode);
        Assert.Contains("There is no file at " + missing, noFile.Error, StringComparison.Ordinal);
        Assert.Equal(1, noFolder.ExitCode);
        Assert.Contains("There is no folder at", noFolder.Error, StringComparison.Ordinal);
        Assert.Empty(app.Runner.Calls);
    }
}
