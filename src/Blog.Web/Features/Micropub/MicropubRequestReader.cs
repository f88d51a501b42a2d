using System.Text.Json;
using Blog.Web.Hosting;

namespace Blog.Web.Features.Micropub;

/// <summary>
/// Reads the two syntaxes of Micropub (3.1: form-encoded and multipart, 3.2: JSON) into one <see cref="MicropubRequest"/>.
/// Anything shaped other than the spec says (a string where an array belongs, a number as a value) is refused with
/// a message rather than guessed at.
/// </summary>
public static class MicropubRequestReader
{
    /// <summary>The form field that may carry the access token (Micropub 3.8); it is never a property.</summary>
    public const string AccessTokenField = "access_token";

    public static (MicropubRequest? Request, MicropubError? Error) FromForm(IFormCollection form)
    {
        var action = Single(form, "action") ?? MicropubAction.Create;
        if (action == MicropubAction.Update)
        {
            return (null, MicropubError.Invalid("Send updates as JSON (Micropub 3.3): {\"action\": \"update\", \"url\": …, \"replace\": {…}}."));
        }
        var properties = new Dictionary<string, IReadOnlyList<MicropubValue>>(StringComparer.Ordinal);
        foreach (var (key, values) in form)
        {
            // Form syntax repeats a key, with or without [], for several values (Micropub 3.1.1).
            var name = key.EndsWith("[]", StringComparison.Ordinal) ? key[..^2] : key;
            if (name is "h" or "action" or "url" or AccessTokenField || name.Length == 0)
            {
                continue;
            }
            var list = properties.TryGetValue(name, out var existing) ? [.. existing] : new List<MicropubValue>();
            list.AddRange(values.Where(value => value is not null).Select(value => MicropubValue.Of(CleanTextModelBinder.Clean(value!))));
            properties[name] = list;
        }
        var h = Single(form, "h");
        return (new MicropubRequest
        {
            Action = action,
            Url = Single(form, "url"),
            // Micropub 3.3: a request that names no type creates an h-entry.
            Type = h is null ? MicropubType.Entry : "h-" + h,
            Properties = new MicropubProperties(properties),
        }, null);
    }

    public static (MicropubRequest? Request, MicropubError? Error) FromJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, MicropubError.Invalid("The body must be a JSON object."));
        }
        if (root.TryGetProperty("action", out var actionElement))
        {
            return ActionFromJson(root, actionElement);
        }
        if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.Array || type.GetArrayLength() == 0
            || type[0].ValueKind != JsonValueKind.String)
        {
            return (null, MicropubError.Invalid("A new post needs \"type\": [\"h-entry\"] (Micropub 3.2)."));
        }
        if (!root.TryGetProperty("properties", out var propertiesElement))
        {
            return (null, MicropubError.Invalid("A new post needs \"properties\": {…}."));
        }
        var (properties, error) = Properties(propertiesElement, "properties");
        return error is not null ? (null, error) : (new MicropubRequest { Type = type[0].GetString()!, Properties = properties! }, null);
    }

    private static (MicropubRequest? Request, MicropubError? Error) ActionFromJson(JsonElement root, JsonElement actionElement)
    {
        var action = actionElement.ValueKind == JsonValueKind.String ? actionElement.GetString() : null;
        var url = root.TryGetProperty("url", out var urlElement) && urlElement.ValueKind == JsonValueKind.String ? urlElement.GetString() : null;
        if (action is null)
        {
            return (null, MicropubError.Invalid("\"action\" must be a string: update, delete or undelete."));
        }
        if (action != MicropubAction.Update)
        {
            return (new MicropubRequest { Action = action, Url = url }, null);
        }
        var replace = MicropubProperties.Empty;
        var add = MicropubProperties.Empty;
        var deleteValues = MicropubProperties.Empty;
        var deleteProperties = new List<string>();
        MicropubError? error = null;
        if (root.TryGetProperty("replace", out var replaceElement))
        {
            (replace, error) = Properties(replaceElement, "replace");
        }
        if (error is null && root.TryGetProperty("add", out var addElement))
        {
            (add, error) = Properties(addElement, "add");
        }
        if (error is null && root.TryGetProperty("delete", out var deleteElement))
        {
            if (deleteElement.ValueKind == JsonValueKind.Array)
            {
                foreach (var name in deleteElement.EnumerateArray())
                {
                    if (name.ValueKind != JsonValueKind.String)
                    {
                        return (null, MicropubError.Invalid("\"delete\" lists property names as strings, or maps names to the values to remove."));
                    }
                    deleteProperties.Add(name.GetString()!);
                }
            }
            else
            {
                (deleteValues, error) = Properties(deleteElement, "delete");
            }
        }
        if (error is not null)
        {
            return (null, error);
        }
        var update = new MicropubUpdate { Replace = replace!, Add = add!, DeleteValues = deleteValues!, DeleteProperties = deleteProperties };
        return update.IsEmpty
            ? (null, MicropubError.Invalid("An update needs \"replace\", \"add\" or \"delete\" (Micropub 3.3)."))
            : (new MicropubRequest { Action = action, Url = url, Update = update }, null);
    }

    /// <summary>An object of property names to arrays of values; values are always arrays, even of one (Micropub 3.2, 3.3).</summary>
    private static (MicropubProperties? Properties, MicropubError? Error) Properties(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return (null, MicropubError.Invalid($"\"{what}\" must be an object of property names to arrays of values."));
        }
        var properties = new Dictionary<string, IReadOnlyList<MicropubValue>>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Array)
            {
                return (null, MicropubError.Invalid($"The value of \"{what}.{Shorten(property.Name)}\" must be an array, even for one value."));
            }
            var values = new List<MicropubValue>(property.Value.GetArrayLength());
            foreach (var item in property.Value.EnumerateArray())
            {
                if (Value(item) is not { } value)
                {
                    return (null, MicropubError.Invalid($"\"{what}.{Shorten(property.Name)}\" holds a value that is neither a string nor an object."));
                }
                values.Add(value);
            }
            properties[property.Name] = values;
        }
        return (new MicropubProperties(properties), null);
    }

    private static MicropubValue? Value(JsonElement item)
    {
        if (item.ValueKind == JsonValueKind.String)
        {
            return MicropubValue.Of(CleanTextModelBinder.Clean(item.GetString()!));
        }
        if (item.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        if (item.TryGetProperty("type", out _) && item.TryGetProperty("properties", out _))
        {
            return new MicropubValue { IsNested = true };
        }
        return new MicropubValue { Text = StringOf(item, "value"), Html = StringOf(item, "html"), Alt = StringOf(item, "alt") };
    }

    private static string? StringOf(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? CleanTextModelBinder.Clean(value.GetString()!) : null;

    private static string? Single(IFormCollection form, string key) =>
        form.TryGetValue(key, out var values) && values.Count > 0 ? CleanTextModelBinder.Clean(values[0] ?? "") : null;

    /// <summary>A client's property name quoted in a message, cut short: it may be anything the client sent.</summary>
    private static string Shorten(string name) => name.Length <= 40 ? name : name[..40] + "…";
}
