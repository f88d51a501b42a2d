using Blog.Web.Commands;
using Blog.Web.Content;
using Blog.Web.Data;
using Blog.Web.Features.Account;
using Blog.Web.Features.Archive;
using Blog.Web.Features.Authoring;
using Blog.Web.Features.Comments;
using Blog.Web.Features.Export;
using Blog.Web.Features.Feeds;
using Blog.Web.Features.Import;
using Blog.Web.Features.Import.Runs;
using Blog.Web.Features.IndieAuth;
using Blog.Web.Features.Labels;
using Blog.Web.Features.Media;
using Blog.Web.Features.Members;
using Blog.Web.Features.Micropub;
using Blog.Web.Features.Moderation;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Redirects;
using Blog.Web.Features.Search;
using Blog.Web.Features.Seo;
using Blog.Web.Features.Settings;
using Blog.Web.Features.Setup;
using Blog.Web.Features.Stats;
using Blog.Web.Hosting;
using Blog.Web.Hosting.Postgres;
using Blog.Web.Hosting.Redis;
using Blog.Web.Identity;
using Blog.Web.Mail;

// First, so that the settings apply to what the host and the JIT allocate from here on (see NativeHeap).
NativeHeap.ReturnLargeFreedBlocksToTheSystem();

// A command (e.g. create-owner) runs with the app's services instead of the web server; its arguments are its own.
var command = BlogCommands.Find(args);
// The slim builder leaves out what Quire does not use (in-process IIS hosting, HTTP/3 over QUIC, hosting-startup
// assemblies); their assemblies then never load, which keeps the process smaller.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    Args = command is null ? args : [],
    ContentRootPath = ContentRoot.ForThisProcess(args),
});
builder.Configuration.AddRootAppSettings();
// The slim builder leaves https endpoints (an https URL in Urls, Kestrel certificate settings) out; they stay supported.
builder.WebHost.UseKestrelHttpsConfiguration();
// No "Server: Kestrel" on every response: it tells an attacker what to aim at and a reader nothing.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
builder.Logging.AddBlogLogging();
// Run from the source tree in any environment (not only Development), wwwroot's build-time .gz/.br files live under
// obj/; this maps them in. A published app has them in wwwroot and no manifest to read, so this does nothing there.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddBlogOptions();
builder.Services.AddBlogCanonicalAddress();
builder.Services.AddBlogData();
builder.Services.AddBlogSettings();
builder.Services.AddBlogIdentity();
builder.Services.AddBlogMembers();
builder.Services.AddBlogSetup();
builder.Services.AddBlogAccount();
builder.Services.AddBlogMail();
builder.Services.AddBlogContent();
builder.Services.AddBlogAuthoring();
builder.Services.AddBlogMedia();
builder.Services.AddBlogImportRuns();
builder.Services.AddBlogComments();
builder.Services.AddBlogModeration();
builder.Services.AddBlogRateLimits();
builder.Services.AddBlogReverseProxySupport();
builder.Services.AddBlogMvc();
builder.Services.AddBlogPosts();
builder.Services.AddBlogLabels();
builder.Services.AddBlogArchive();
builder.Services.AddBlogSearch();
builder.Services.AddBlogFeeds();
builder.Services.AddBlogSeo();
builder.Services.AddBlogExport();
builder.Services.AddBlogRedirects();
builder.Services.AddBlogReaderCache();
builder.Services.AddBlogImport();
builder.Services.AddBlogIndieAuth();
builder.Services.AddBlogMicropub();
builder.Services.AddBlogStats();
// Last: where several instances share PostgreSQL or Redis (Redis wins), they replace what each process would otherwise keep for itself.
builder.Services.AddBlogPostgresSharing(builder.Configuration);
builder.Services.AddBlogRedis(builder.Configuration);
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

var app = builder.Build();
if (command is not null)
{
    return await command.RunAsync(app.Services, args[1..], CommandConsole.FromProcess(), CancellationToken.None);
}

if (!await app.TryMigrateDatabaseAsync())
{
    // The reason is logged; disposing the app flushes that log line before the process exits.
    await app.DisposeAsync();
    return 1;
}
await app.LoadCanonicalAddressAsync();
app.LogWhereTheBlogLives();
await app.PrepareOwnerSetupAsync();

app.UseRequestLogging();
app.UseReadableHostsOnly();
app.UseBlogTransportSecurity();
// Picture files readers asked for before: from memory, ahead of everything that follows.
app.UseBlogMediaFromMemory();
// Reader pages the output cache answered before: from memory, ahead of everything that follows too.
app.UseBlogReaderPagesFromMemory();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error");
}
app.UseStatusCodePagesWithReExecute("/error/{0}");
app.UseSecurityHeaders();
// Picture files: before routing, so serving one costs no more than a static file.
app.UseBlogMedia();

// Old links whose query says where they go: before the reader cache, which ignores keys its pages do not read.
app.UseBlogOldQueryRedirects();
app.UseRouting();
app.UseBlogStats();
app.UseBlogReaderCache();
app.UseRequestLogScope();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapHealthChecks("/healthz");
// Fingerprinted, precompressed wwwroot files with year-long cache lifetimes; views link to them through the manifest.
app.MapStaticAssets();
app.MapControllers().WithStaticAssets();

await app.RunAsync();
return 0;

/// <summary>The entry point; public so integration tests can host the app.</summary>
public partial class Program;
