using Blog.Web.Data;
using Blog.Web.Features.Comments;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Blog.Web.Mail;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddRootAppSettings();

builder.Services.AddBlogOptions();
builder.Services.AddBlogData();
builder.Services.AddBlogSettings();
builder.Services.AddBlogIdentity();
builder.Services.AddBlogMail();
builder.Services.AddBlogComments();
builder.Services.AddBlogRateLimits();
builder.Services.AddBlogMvc();
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

var app = builder.Build();

await app.MigrateDatabaseAsync();
app.LogWhereTheBlogLives();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error");
}
app.UseStatusCodePagesWithReExecute("/error/{0}");

app.UseStaticFiles();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapHealthChecks("/healthz");
app.MapControllers();

await app.RunAsync();

/// <summary>The entry point; public so integration tests can host the app.</summary>
public partial class Program;
