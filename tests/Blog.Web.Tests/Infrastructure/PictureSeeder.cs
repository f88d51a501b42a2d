using System.Data.Common;
using System.Security.Cryptography;
using Blog.Web.Data;
using Blog.Web.Features.Media;
using Blog.Web.Hosting;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>A library picture put straight into the database and the media folder, as an upload leaves one.</summary>
public sealed record SeededPicture(long Id, string Hash, int Width, int Height, string FallbackFormat)
{
    /// <summary>The address the editor's Markdown uses: the fallback file at the widest stored width up to 1600.</summary>
    public string MarkdownAddress =>
        MediaAddresses.PathOf(Hash, MediaAddresses.WidthsFor(Width).Where(w => w <= 1600).DefaultIfEmpty(Width).Max(), FallbackFormat);

    /// <summary>The files written to the media folder, name → bytes (none for a picture seeded without files).</summary>
    public Dictionary<string, byte[]> Files { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>What to seed: the picture's size and description, who uploaded it when, and whether its files are written.</summary>
public sealed record PictureSeed
{
    public int Width { get; init; } = 1200;

    public int Height { get; init; } = 800;

    public string AltText { get; init; } = "";

    public bool Decorative { get; init; }

    /// <summary>Some pixels transparent: the fallback files are PNG.</summary>
    public bool Transparent { get; init; }

    public string? UploadedBy { get; init; }

    /// <summary>UTC; defaults to now.</summary>
    public DateTime? UploadedAt { get; init; }

    /// <summary>False: the rows only, for tests of what the library lists (no image is drawn, which is slow).</summary>
    public bool WithFiles { get; init; } = true;
}

/// <summary>
/// Seeds pictures per the media schema (0007 in db/sqlite and db/postgresql): a media row, a media_files row for each stored width in
/// WebP and in the fallback format, and real image files of those sizes (drawn by <see cref="TestImages"/>).
/// </summary>
public static class PictureSeeder
{
    public static SeededPicture Insert(BlogAppFactory app, int width, int height, string altText = "", bool decorative = false, bool transparent = false) =>
        Insert(app, new PictureSeed { Width = width, Height = height, AltText = altText, Decorative = decorative, Transparent = transparent });

    public static SeededPicture Insert(BlogAppFactory app, PictureSeed seed)
    {
        using var connection = app.OpenDatabase();
        return Insert(connection, app.Services.GetRequiredService<DataFolder>().MediaPath, seed);
    }

    /// <summary>Into a data folder no blog is running on (its database and media/), as backup tests need.</summary>
    public static SeededPicture Insert(string dataFolder, PictureSeed seed)
    {
        using var connection = TestDatabase.Open(dataFolder);
        return Insert(connection, Directory.CreateDirectory(Path.Combine(dataFolder, "media")).FullName, seed);
    }

    private static SeededPicture Insert(DbConnection connection, string mediaFolder, PictureSeed seed)
    {
        var hash = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        var fallback = MediaFormat.Fallback(seed.Transparent);
        var id = connection.ExecuteScalar<long>("""
            INSERT INTO media (hash, file_name, alt_text, decorative, width, height, source_format, has_alpha, uploaded_by, uploaded_at)
            VALUES (@Hash, @FileName, @AltText, @Decorative, @Width, @Height, @SourceFormat, @HasAlpha, @UploadedBy, @UploadedAt)
            RETURNING id
            """, new
        {
            Hash = hash, FileName = hash[..6] + ".jpg", seed.AltText, seed.Decorative, seed.Width, seed.Height,
            SourceFormat = seed.Transparent ? MediaFormat.Png : MediaFormat.Jpeg, HasAlpha = seed.Transparent, seed.UploadedBy,
            UploadedAt = TestDatabase.StoredTime(seed.UploadedAt ?? DateTime.UtcNow),
        });
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var fileWidth in MediaAddresses.WidthsFor(seed.Width).Distinct())
        {
            var fileHeight = Math.Max(1, (int)Math.Round((double)seed.Height * fileWidth / seed.Width, MidpointRounding.AwayFromZero));
            foreach (var format in new[] { MediaFormat.WebP, fallback })
            {
                var size = 1000L;
                if (seed.WithFiles)
                {
                    var bytes = format switch
                    {
                        MediaFormat.WebP => TestImages.WebP(fileWidth, fileHeight),
                        MediaFormat.Png => TestImages.Png(fileWidth, fileHeight, transparent: true),
                        _ => TestImages.Jpeg(fileWidth, fileHeight),
                    };
                    var name = MediaAddresses.FileName(hash, fileWidth, format);
                    File.WriteAllBytes(Path.Combine(mediaFolder, name), bytes);
                    files[name] = bytes;
                    size = bytes.LongLength;
                }
                connection.Execute("""
                    INSERT INTO media_files (media_id, format, width, height, byte_size) VALUES (@Id, @Format, @Width, @Height, @Size)
                    """, new { Id = id, Format = format, Width = fileWidth, Height = fileHeight, Size = size });
            }
        }
        return new SeededPicture(id, hash, seed.Width, seed.Height, fallback) { Files = files };
    }
}
