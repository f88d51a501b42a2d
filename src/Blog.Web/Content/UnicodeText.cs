namespace Blog.Web.Content;

/// <summary>Repairs for text that is not quite valid Unicode, before libraries that assume it is see it.</summary>
public static class UnicodeText
{
    /// <summary>
    /// Replaces each half of a surrogate pair that has lost its other half. No form post can carry one (UTF-8
    /// cannot encode it, and decoding gives U+FFFD instead), but text from other sources can, and Normalize() and
    /// Markdig's URL escaping throw on it.
    /// </summary>
    public static string ReplaceLoneSurrogates(string text, char replacement = '\uFFFD')
    {
        if (!text.Any(char.IsSurrogate))
        {
            return text;
        }
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = replacement;
            }
        }
        return new string(chars);
    }
}
