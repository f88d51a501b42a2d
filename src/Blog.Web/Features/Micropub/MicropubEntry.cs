using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using AngleSharp.Html.Parser;
using Blog.Web.Features.Media;
using Blog.Web.Features.Posts;

namespace Blog.Web.Features.Micropub;

/// <summary>
/// The part of an h-entry this blog stores, read from a client's properties: <c>name</c> is the title, <c>summary</c>
/// the subtitle, <c>content</c> the body (Markdown, or HTML when sent as <c>{"html": …}</c>), <c>category</c> the
/// labels, <c>photo</c> pictures after the body, <c>mp-slug</c> the address.
/// </summary>
public sealed record MicropubEntry
{
    /// <summary>How much of a note's text becomes its title when the client gives no name (this blog's posts have titles).</summary>
    public const int DerivedTitleLength = 60;

    private static readonly HtmlParser Parser = new();

    public string? Name { get; init; }

    public string? Summary { get; init; }

    public string? Content { get; init; }

    public bool ContentIsHtml { get; init; }

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>A <see cref="PostStatus"/>, or null when the client did not say.</summary>
    public string? Status { get; init; }

    public DateTime? Published { get; init; }

    public IReadOnlyList<MicropubPhoto> Photos { get; init; } = [];

    public string? Slug { get; init; }

    /// <summary>
    /// Reads the properties this blog stores. Properties it does not know (location, syndication, like-of, …) are
    /// ignored and the post is made from the rest, as Micropub 3.3 asks of a server that does not recognize them.
    /// </summary>
    public static (MicropubEntry? Entry, MicropubError? Error) Read(MicropubProperties properties, string blogAddress)
    {
        var errors = new List<string>();
        var content = One(properties, MicropubProperty.Content, errors);
        if (content is { IsNested: true } || content is { Text: null, Html: null })
        {
            errors.Add("content must be a string, {\"html\": …} or {\"value\": …}.");
        }
        var entry = new MicropubEntry
        {
            Name = Text(One(properties, MicropubProperty.Name, errors), MicropubProperty.Name, errors),
            Summary = Text(One(properties, MicropubProperty.Summary, errors), MicropubProperty.Summary, errors),
            Content = content?.Html ?? content?.Text,
            ContentIsHtml = content?.Html is not null,
            Categories = ReadCategories(properties[MicropubProperty.Category], errors),
            Status = ReadStatus(Text(One(properties, MicropubProperty.PostStatus, errors), MicropubProperty.PostStatus, errors), errors),
            Published = ReadPublished(Text(One(properties, MicropubProperty.Published, errors), MicropubProperty.Published, errors), errors),
            Photos = ReadPhotos(properties[MicropubProperty.Photo], blogAddress, errors),
            Slug = Text(One(properties, MicropubProperty.Slug, errors), MicropubProperty.Slug, errors),
        };
        return errors.Count > 0 ? (null, MicropubError.Invalid(string.Join(' ', errors))) : (entry, null);
    }

    /// <summary>The title: the name, else the start of the text (as a reader would read it), else the first photo's description.</summary>
    public string Title()
    {
        if (!string.IsNullOrWhiteSpace(Name))
        {
            return Name.Trim();
        }
        var text = ContentIsHtml ? VisibleText(Content) : Content;
        var words = string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (words.Length == 0)
        {
            words = Photos.Select(photo => photo.Alt).FirstOrDefault(alt => !string.IsNullOrWhiteSpace(alt))?.Trim() ?? "Photo";
        }
        if (words.Length <= DerivedTitleLength)
        {
            return words;
        }
        var cut = words.LastIndexOf(' ', DerivedTitleLength);
        var end = cut > DerivedTitleLength / 2 ? cut : DerivedTitleLength;
        return words[..(char.IsHighSurrogate(words[end - 1]) ? end - 1 : end)] + "…";
    }

    /// <summary>The body: the content, then each photo as an image of its own (HTML, which Markdown passes through).</summary>
    public string Body()
    {
        var body = new StringBuilder(Content ?? "");
        foreach (var photo in Photos)
        {
            body.Append(body.Length > 0 ? "\n\n" : "")
                .Append(CultureInfo.InvariantCulture, $"<p><img src=\"{HtmlEncoder.Default.Encode(photo.Url)}\" alt=\"{HtmlEncoder.Default.Encode(photo.Alt ?? "")}\"></p>");
        }
        return body.ToString();
    }

    /// <summary>The words of HTML a reader would see: script and style text never shows (the sanitizer drops it anyway).</summary>
    private static string VisibleText(string? html)
    {
        var body = Parser.ParseDocument("<body>" + html + "</body>").Body!;
        foreach (var hidden in body.QuerySelectorAll("script, style, template").ToList())
        {
            hidden.Remove();
        }
        return Blog.Web.Content.VisibleText.Of(body);
    }

    private static MicropubValue? One(MicropubProperties properties, string name, List<string> errors)
    {
        var values = properties[name];
        if (values.Count > 1)
        {
            errors.Add($"{name} takes one value.");
        }
        return values.Count > 0 ? values[0] : null;
    }

    private static string? Text(MicropubValue? value, string name, List<string> errors)
    {
        if (value is not null && (value.IsNested || value.Text is null))
        {
            errors.Add($"{name} must be a string.");
            return null;
        }
        return value?.Text;
    }

    /// <summary>Category strings become labels; nested objects (person tags) are not labels and are left out.</summary>
    private static List<string> ReadCategories(IReadOnlyList<MicropubValue> values, List<string> errors)
    {
        var labels = values.Where(value => !value.IsNested && !string.IsNullOrWhiteSpace(value.Text)).Select(value => value.Text!.Trim()).ToList();
        if (labels.Any(label => label.Contains(',', StringComparison.Ordinal)))
        {
            errors.Add("A category cannot contain a comma.");
        }
        return labels;
    }

    private static string? ReadStatus(string? text, List<string> errors)
    {
        switch (text)
        {
            case null:
                return null;
            case PostStatus.Draft or PostStatus.Published:
                return text;
            default:
                errors.Add("post-status is published or draft.");
                return null;
        }
    }

    /// <summary>An ISO 8601 time with its offset (e.g. 2026-12-03T09:30:00+01:00), kept as UTC.</summary>
    private static DateTime? ReadPublished(string? text, List<string> errors)
    {
        if (text is null)
        {
            return null;
        }
        string[] formats = ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mmzzz"];
        if (DateTimeOffset.TryParseExact(text.Trim().Replace("Z", "+00:00", StringComparison.Ordinal), formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var published))
        {
            return published.UtcDateTime;
        }
        errors.Add("published must be an ISO 8601 time with its offset, like 2026-12-03T09:30:00+01:00.");
        return null;
    }

    /// <summary>
    /// Photos by address: the blog's own pictures (as a path, so the post shows them as responsive pictures) or any
    /// https address; an http address would be dropped by the sanitizer, so it is refused with a message instead.
    /// </summary>
    private static List<MicropubPhoto> ReadPhotos(IReadOnlyList<MicropubValue> values, string blogAddress, List<string> errors)
    {
        var photos = new List<MicropubPhoto>();
        foreach (var value in values)
        {
            var url = value.IsNested ? null : value.Text?.Trim();
            if (url is not null && url.StartsWith(blogAddress + MediaAddresses.PathPrefix, StringComparison.OrdinalIgnoreCase))
            {
                url = url[blogAddress.Length..];
            }
            if (url is null || !(MediaAddresses.TryParse(url, out _, out _, out _)
                || Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme == Uri.UriSchemeHttps && absolute.UserInfo.Length == 0))
            {
                errors.Add("Each photo must be an https address or one of this blog's pictures.");
                return photos;
            }
            photos.Add(new MicropubPhoto(url, value.Alt));
        }
        return photos;
    }
}

/// <summary>A photo a post shows: its address and, when the client gave one, its description.</summary>
public sealed record MicropubPhoto(string Url, string? Alt);
