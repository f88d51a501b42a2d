namespace Blog.Web.Features.Micropub;

/// <summary>
/// One value of a microformats property as a client sent it: a plain string, or an object — <c>{"html": …}</c> for
/// HTML content, <c>{"value": …, "alt": …}</c> for a described photo, or a whole nested microformats object.
/// </summary>
public sealed record MicropubValue
{
    /// <summary>The plain string, or an object's <c>value</c>.</summary>
    public string? Text { get; init; }

    public string? Html { get; init; }

    public string? Alt { get; init; }

    /// <summary>An embedded microformats object (<c>{"type": […], "properties": {…}}</c>): no property here stores one.</summary>
    public bool IsNested { get; init; }

    public static MicropubValue Of(string text) => new() { Text = text };
}

/// <summary>A property name and its values, in the order they came.</summary>
public sealed record MicropubProperties(IReadOnlyDictionary<string, IReadOnlyList<MicropubValue>> Values)
{
    public static readonly MicropubProperties Empty = new(new Dictionary<string, IReadOnlyList<MicropubValue>>());

    public IReadOnlyList<MicropubValue> this[string name] => Values.TryGetValue(name, out var values) ? values : [];

    public bool Has(string name) => Values.ContainsKey(name);
}

/// <summary>A Micropub request as read from a form, a multipart form or JSON.</summary>
public sealed record MicropubRequest
{
    /// <summary>A <see cref="MicropubAction"/>; <see cref="MicropubAction.Create"/> when the request names none.</summary>
    public string Action { get; init; } = MicropubAction.Create;

    /// <summary>The post an update, delete or undelete is about.</summary>
    public string? Url { get; init; }

    /// <summary>The microformats type of a new post, e.g. h-entry.</summary>
    public string Type { get; init; } = MicropubType.Entry;

    public MicropubProperties Properties { get; init; } = MicropubProperties.Empty;

    public MicropubUpdate Update { get; init; } = new();
}

/// <summary>An update's three parts (Micropub 3.3): all may come in one request.</summary>
public sealed record MicropubUpdate
{
    public MicropubProperties Replace { get; init; } = MicropubProperties.Empty;

    public MicropubProperties Add { get; init; } = MicropubProperties.Empty;

    /// <summary>Properties to remove entirely.</summary>
    public IReadOnlyList<string> DeleteProperties { get; init; } = [];

    /// <summary>Single values to remove from properties.</summary>
    public MicropubProperties DeleteValues { get; init; } = MicropubProperties.Empty;

    public bool IsEmpty => Replace.Values.Count == 0 && Add.Values.Count == 0 && DeleteProperties.Count == 0 && DeleteValues.Values.Count == 0;
}

public static class MicropubAction
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Delete = "delete";
    public const string Undelete = "undelete";
}

public static class MicropubType
{
    public const string Entry = "h-entry";
}

/// <summary>The properties this blog stores; a client's other properties are ignored (see <see cref="MicropubCommands"/>).</summary>
public static class MicropubProperty
{
    public const string Name = "name";
    public const string Summary = "summary";
    public const string Content = "content";
    public const string Category = "category";
    public const string PostStatus = "post-status";
    public const string Published = "published";
    public const string Photo = "photo";
    public const string Slug = "mp-slug";
}

/// <summary>The error codes of Micropub 3.7 (and OAuth's unauthorized), each with its HTTP status.</summary>
public static class MicropubErrorCode
{
    public const string InvalidRequest = "invalid_request";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string InsufficientScope = "insufficient_scope";
}

/// <summary>Why a request was refused, as the JSON body of the answer says it.</summary>
public sealed record MicropubError(string Code, string Description)
{
    /// <summary>The scope the request needed, for insufficient_scope.</summary>
    public string? Scope { get; init; }

    public static MicropubError Invalid(string description) => new(MicropubErrorCode.InvalidRequest, description);

    public static MicropubError Forbidden(string description) => new(MicropubErrorCode.Forbidden, description);
}

/// <summary>What became of a create, update, delete or undelete.</summary>
public sealed record MicropubOutcome
{
    public MicropubError? Error { get; init; }

    /// <summary>A new post's address, or a post's new address when an update moved it (201); null otherwise (204).</summary>
    public string? Location { get; init; }

    public static MicropubOutcome Done { get; } = new();

    public static MicropubOutcome Failed(MicropubError error) => new() { Error = error };
}
