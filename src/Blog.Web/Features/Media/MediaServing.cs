using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Blog.Web.Features.Media;

/// <summary>
/// Serves /media/{hash}-{width}.{webp|jpg|png} from the data folder (on PostgreSQL, its cache of the database's files). Only names that parse as media addresses reach
/// the disk (no listing, no other file, no way out of the folder); everything else under /media is a 404. A name is
/// a content hash, so a file never changes and may be cached for a year.
/// </summary>
public static class MediaServing
{
    public const string CacheControl = "public, max-age=31536000, immutable";

    public static IApplicationBuilder UseBlogMedia(this IApplicationBuilder app)
    {
        var media = app.ApplicationServices.GetRequiredService<MediaFiles>();
        var memory = app.ApplicationServices.GetRequiredService<MediaMemoryCache>();
        var files = new StaticFileOptions
        {
            RequestPath = MediaAddresses.PathPrefix.TrimEnd('/'),
            FileProvider = new PhysicalFileProvider(media.Folder),
            ContentTypeProvider = new MediaContentTypes(),
            OnPrepareResponse = static context => context.Context.Response.Headers.CacheControl = CacheControl,
        };
        return app.MapWhen(static context => context.Request.Path.StartsWithSegments("/media"), branch =>
        {
            branch.Use(async (context, next) =>
            {
                var path = context.Request.Path.Value;
                if (!MediaAddresses.TryParse(path, out _, out _, out var format))
                {
                    await NotFound(context);
                    return;
                }
                var name = path![MediaAddresses.PathPrefix.Length..];
                // On PostgreSQL this instance's media/ is a cache of the database's files, filled here on a miss.
                await media.CacheLocallyAsync(name, context.RequestAborted);
                if (!await memory.TryServeAsync(context, name, media.PathOf(name), MediaFormat.ContentType(format)))
                {
                    await next(context);
                }
            });
            // What the memory does not answer: large files, ranges, conditional requests by date, missing files.
            branch.UseStaticFiles(files);
            // A valid name with no file (or a method other than GET/HEAD) ends here rather than in MVC.
            branch.Run(NotFound);
        });
    }

    /// <summary>
    /// Picture files already held in memory, answered before the error pages, security headers, routing and the rest
    /// (it sets the security headers itself), so a hot picture costs little more than a static file server's. Any
    /// other request under /media goes on to <see cref="UseBlogMedia"/>, which reads files into memory.
    /// </summary>
    public static IApplicationBuilder UseBlogMediaFromMemory(this IApplicationBuilder app)
    {
        var memory = app.ApplicationServices.GetRequiredService<MediaMemoryCache>();
        return app.Use(async (context, next) =>
        {
            if (!await memory.TryServeHeldAsync(context))
            {
                await next(context);
            }
        });
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    /// <summary>The three stored formats only; a name that passed the address check always has one of them.</summary>
    private sealed class MediaContentTypes : IContentTypeProvider
    {
        public bool TryGetContentType(string subpath, out string contentType)
        {
            var known = MediaAddresses.TryParse(subpath.TrimStart('/'), out _, out _, out var format);
            contentType = known ? MediaFormat.ContentType(format) : "";
            return known;
        }
    }
}
