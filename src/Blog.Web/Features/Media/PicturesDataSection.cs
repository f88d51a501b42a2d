using Blog.Web.Data;
using Blog.Web.Features.Account;

namespace Blog.Web.Features.Media;

/// <summary>
/// The "pictures" part of a person's data download: the pictures they uploaded, with their descriptions and the
/// address of each one's largest file (the blog keeps re-encoded files only, never the upload itself).
/// </summary>
public sealed class PicturesDataSection(BlogDatabase db) : RowsDataSection<ExportedPicture>(db)
{
    public override string Name => "pictures";

    protected override string Sql => """
        SELECT id, hash, file_name, alt_text, decorative, width, height, source_format, has_alpha, animated, uploaded_at
        FROM media
        WHERE uploaded_by = @MemberId
        ORDER BY id
        """;
}

public sealed record ExportedPicture
{
    public long Id { get; init; }

    /// <summary>The name the file was uploaded with.</summary>
    public string FileName { get; init; } = "";

    public string AltText { get; init; } = "";

    public bool Decorative { get; init; }

    public int Width { get; init; }

    public int Height { get; init; }

    public string SourceFormat { get; init; } = "";

    public bool Animated { get; init; }

    public DateTime UploadedAt { get; init; }

    /// <summary>The largest file stored, in the format every browser shows (JPEG, or PNG when it is transparent).</summary>
    public string Address => MediaAddresses.PathOf(Hash, MediaAddresses.WidthsFor(Width)[^1], MediaFormat.Fallback(HasAlpha));

    // Read to build the address; the hash itself means nothing to the person.
    [System.Text.Json.Serialization.JsonIgnore]
    public string Hash { get; init; } = "";

    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasAlpha { get; init; }
}
