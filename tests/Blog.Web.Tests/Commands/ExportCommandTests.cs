using Blog.Web.Commands;
using Blog.Web.Identity;
using Blog.Web.Tests.Features.Export;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Commands;

public sealed class ExportCommandTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>, IDisposable
{
    private readonly string _folder = TestDataFolder.Create();

    public void Dispose() => TestDataFolder.Delete(_folder);

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CommandConsole(new StringReader(""), output, error, _ => null);

        var exitCode = await BlogCommands.Find(["export"])!.RunAsync(app.Services, args, console, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("wordpress", "rss")]
    [InlineData("blogger", "feed")]
    public async Task WritesTheChosenFormatToTheGivenPath(string format, string root)
    {
        var owner = await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        PostSeeder.Insert(app, new SeedPost { Title = "Exported by command " + format, AuthorId = owner.Id });
        var path = Path.Combine(_folder, format + ".xml");

        var (exitCode, output, error) = await RunAsync("--format", format, path);

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.Contains(path, output, StringComparison.Ordinal);
        var document = ExportTestBlog.Parse(await File.ReadAllTextAsync(path));
        Assert.Equal(root, document.Root!.Name.LocalName);
        Assert.Contains(document.Descendants(), e => e.Name.LocalName == "title" && e.Value == "Exported by command " + format);
        Assert.Empty(Directory.GetFiles(_folder, "*.partial"));
    }

    [Theory]
    [InlineData(new string[0], "Usage: export")]
    [InlineData(new[] { "wordpress" }, "Usage: export")]
    [InlineData(new[] { "--format" }, "Usage: export")]
    [InlineData(new[] { "--format", "wordpress", "a.xml", "b.xml" }, "Usage: export")]
    [InlineData(new[] { "--format", "wordpress", "--dry-run" }, "Usage: export")]
    [InlineData(new[] { "--format", "takeout" }, "Unknown format 'takeout'")]
    public async Task BadArgumentsExitOneWithAMessageAndWriteNothing(string[] args, string message)
    {
        var (exitCode, output, error) = await RunAsync(args);

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task AnExistingFileIsNeverOverwritten()
    {
        var path = Path.Combine(_folder, "taken.xml");
        await File.WriteAllTextAsync(path, "mine");

        var (exitCode, _, error) = await RunAsync("--format", "blogger", path);

        Assert.Equal(1, exitCode);
        Assert.Contains("already exists", error, StringComparison.Ordinal);
        Assert.Equal("mine", await File.ReadAllTextAsync(path));
    }
}
