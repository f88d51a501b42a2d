using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Blog.Web.Features.Authoring;
using Blog.Web.Features.Media;
using Blog.Web.Features.Posts;

namespace Blog.Web.Features.Import;

/// <summary>
/// Makes an imported post's HTML this blog's own before it is sanitized: each picture the archive holds (or, when
/// the owner asked, one fetched from the old blog's hosts) is stored in the library and shown from there; pictures
/// left on the old hosts are listed; links to the old blog's posts lead to their new addresses.
/// </summary>
public sealed class ImportedHtml(MediaCommands media, RemoteImages remote, ImportStore store)
{
    private static readonly HtmlParser Parser = new();

    /// <summary>Hosts whose pictures are the old blog's own, wherever it lived.</summary>
    private static readonly string[] BloggerImageHosts = ["bp.blogspot.com", "blogger.googleusercontent.com"];

    public async Task<string> RewriteAsync(string html, ImportedHtmlContext context, CancellationToken ct)
    {
        if (!html.Contains("<img", StringComparison.OrdinalIgnoreCase) && !html.Contains("<a", StringComparison.OrdinalIgnoreCase))
        {
            return html;
        }
        var body = Parser.ParseDocument("<body>" + html + "</body>").Body!;
        foreach (var image in body.QuerySelectorAll("img"))
        {
            if (image.GetAttribute("src") is { Length: > 0 } src && await PictureAsync(src.Trim(), image, context, ct) is { } local)
            {
                image.SetAttribute("src", local);
            }
        }
        foreach (var link in body.QuerySelectorAll("a[href]"))
        {
            if (await NewAddressAsync(link.GetAttribute("href")!.Trim(), context, ct) is { } address)
            {
                link.SetAttribute("href", address);
            }
        }
        return body.InnerHtml;
    }

    /// <summary>The library address the picture is shown from now, or null to leave it as it was.</summary>
    private async Task<string?> PictureAsync(string src, IElement image, ImportedHtmlContext context, CancellationToken ct)
    {
        var absolute = Absolute(src, context);
        var key = absolute ?? src;
        if (context.Pictures.TryGetValue(key, out var known))
        {
            return known;
        }
        if (await store.FindPictureAsync(context.Source, key, ct) is { } earlier)
        {
            return context.Pictures[key] = MediaAddresses.PathOf(earlier.Hash, earlier.Width, earlier.Format);
        }
        var report = context.Report;
        var stream = context.Archive.OpenImage(src) ?? (absolute is null ? null : context.Archive.OpenImage(absolute));
        if (stream is null && absolute is not null && IsOldHost(new Uri(absolute).Host, context))
        {
            var secure = "https://" + absolute[(absolute.IndexOf("://", StringComparison.Ordinal) + 3)..];
            if (!context.FetchRemoteImages || context.DryRun)
            {
                context.LeftRemote(secure);
                // The sanitizer keeps https images only: an http link on these hosts still shows the picture over https.
                return secure;
            }
            var fetched = await remote.FetchAsync(secure, ct);
            if (fetched.Content is null)
            {
                report.Note(context.Line, $"A picture of “{context.PostTitle}” was not fetched ({fetched.Refusal}): {Shorten(secure)}");
                context.LeftRemote(secure);
                return secure;
            }
            stream = fetched.Content;
        }
        if (stream is null)
        {
            return null;
        }
        await using (stream)
        {
            report.Found(ImportKinds.Images);
            if (context.DryRun)
            {
                report.Imported(ImportKinds.Images);
                report.ImagesStored++;
                context.Pictures[key] = src;
                return null;
            }
            var alt = MediaCommands.OneLine(image.GetAttribute("alt") ?? image.GetAttribute("title"));
            var outcome = await media.UploadAsync(new MediaUpload
            {
                Content = stream,
                FileName = Uri.UnescapeDataString(key.Split('?')[0].Split('/')[^1]),
                AltText = alt.Length > MediaCommands.AltTextMaxLength ? alt[..MediaCommands.AltTextMaxLength] : alt,
                // The old blog showed it without a description: so does this one, on purpose rather than by accident.
                Decorative = alt.Length == 0,
                UploaderId = context.ImporterId,
            }, ct);
            if (outcome.Media is not { } stored)
            {
                report.Skipped(ImportKinds.Images, "not a picture the library accepts", context.Line,
                    $"A picture of “{context.PostTitle}” was not stored ({outcome.Error}): {Shorten(key)}");
                return null;
            }
            report.Imported(ImportKinds.Images);
            report.ImagesStored++;
            context.StoredPictures.Add((key, stored.Id));
            var file = outcome.Files.OrderBy(f => f.Width).First();
            return context.Pictures[key] = MediaAddresses.PathOf(stored.Hash, file.Width, file.Format);
        }
    }

    /// <summary>For a link to one of the old blog's addresses: the post's address here, or the old path (answered with a 301).</summary>
    private async Task<string?> NewAddressAsync(string href, ImportedHtmlContext context, CancellationToken ct)
    {
        if (!Uri.TryCreate(href, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !context.OldHosts.Contains(uri.Host))
        {
            return null;
        }
        var fragment = uri.Fragment;
        if (LegacyAddress.Normalize(href) is { } old && await store.FindLegacyPostAsync(old, ct) is { } post)
        {
            if (post.Kind == PostKind.Page)
            {
                return PostUrls.PagePath(post.Slug) + fragment;
            }
            if (post.Status == PostStatus.Published && post.PublishedAt is { } at)
            {
                return PostUrls.PostPath(at, post.Slug, context.TimeZone) + fragment;
            }
        }
        return uri.PathAndQuery + fragment;
    }

    private static string? Absolute(string src, ImportedHtmlContext context)
    {
        if (Uri.TryCreate(src, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri.AbsoluteUri;
        }
        if (src.StartsWith("//", StringComparison.Ordinal) && Uri.TryCreate("https:" + src, UriKind.Absolute, out var schemeless))
        {
            return schemeless.AbsoluteUri;
        }
        return context.BlogAddress is { } blog && Uri.TryCreate(blog, src, out var relative) ? relative.AbsoluteUri : null;
    }

    private static bool IsOldHost(string host, ImportedHtmlContext context) =>
        context.OldHosts.Contains(host)
        || BloggerImageHosts.Any(suffix => host.Equals(suffix, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + suffix, StringComparison.OrdinalIgnoreCase));

    private static string Shorten(string address) => address.Length <= 200 ? address : address[..200] + "…";
}

/// <summary>What rewriting one post's HTML needs to know, and what it leaves for the runner to write.</summary>
public sealed class ImportedHtmlContext
{
    public required IImportSource Archive { get; init; }
    public required ImportReport Report { get; init; }
    public required string Source { get; init; }
    public required string ImporterId { get; init; }
    public required bool DryRun { get; init; }
    public required bool FetchRemoteImages { get; init; }
    public required TimeZoneInfo TimeZone { get; init; }
    public Uri? BlogAddress { get; init; }
    public required HashSet<string> OldHosts { get; init; }

    /// <summary>Pictures this run has already placed, by address (the same picture is in many posts).</summary>
    public Dictionary<string, string> Pictures { get; } = new(StringComparer.Ordinal);

    /// <summary>Pictures stored for the current batch: recorded in imported_items with it.</summary>
    public List<(string Address, long MediaId)> StoredPictures { get; } = [];

    /// <summary>Pictures left on the old hosts, with the posts showing them.</summary>
    public Dictionary<string, List<string>> Remote { get; } = new(StringComparer.Ordinal);

    public string PostTitle { get; set; } = "";
    public int Line { get; set; }

    /// <summary>Most remote pictures and titles kept for the report: an export could otherwise make it huge.</summary>
    private const int MaxRemote = 1_000;
    private const int MaxTitlesEach = 20;

    public void LeftRemote(string address)
    {
        if (!Remote.TryGetValue(address, out var titles))
        {
            if (Remote.Count >= MaxRemote)
            {
                return;
            }
            Remote[address] = titles = [];
        }
        if (titles.Count < MaxTitlesEach && !titles.Contains(PostTitle))
        {
            titles.Add(PostTitle);
        }
    }
}
