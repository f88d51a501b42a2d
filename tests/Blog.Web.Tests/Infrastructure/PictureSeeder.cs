using System.Globalization;
using System.Security.Cryptography;
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
}

/// <summary>
/// Seeds pictures per the media schema (db/sqlite/0007): a media row, a media_files row for each stored width in
/// WebP and in the fallback format, and real image files of those sizes (drawn by <see cref="TestImages"/>).
/// </summary>
public static class PictureSeeder
{
    public static SeededPicture Insert(BlogAppFactory app, int width, int height, string altText = "", bool decorative = false, bool transparent = false)
    {
        var media = app.Services.GetRequiredService<DataFolder>().MediaPath;
        var hash = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        var fallback = MediaFormat.Fallback(transparent);
        using var connection = app.OpenDatabase();
        var id = connection.ExecuteScalar<long>("""
            INSERT INTO media (hash, file_name, alt_text, decorative, width, height, source_format, has_alpha, uploaded_at)
            VALUES (@Hash, @FileName, @AltText, @Decorative, @Width, @Height, @SourceFormat, @HasAlpha, @UploadedAt)
            RETURNING id
            """, new
        {
            Hash = hash, FileName = "photo.jpg", AltText = altText, Decorative = decorative, Width = width, Height = height,
            SourceFormat = transparent ? MediaFormat.Png : MediaFormat.Jpeg, HasAlpha = transparent,
            UploadedAt = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
        });
        foreach (var fileWidth in MediaAddresses.WidthsFor(width).Distinct())
        {
            var fileHeight = Math.Max(1, (int)Math.Round((double)height * fileWidth / width, MidpointRounding.AwayFromZero));
            foreach (var format in new[] { MediaFormat.WebP, fallback })
            {
                var bytes = format switch
                {
                    MediaFormat.WebP => TestImages.WebP(fileWidth, fileHeight),
                    MediaFormat.Png => TestImages.Png(fileWidth, fileHeight, transparent: true),
                    _ => TestImages.Jpeg(fileWidth, fileHeight),
                };
                File.WriteAllBytes(Path.Combine(media, MediaAddresses.FileName(hash, fileWidth, format)), bytes);
                connection.Execute("""
                    INSERT INTO media_files (media_id, format, width, height, byte_size) VALUES (@Id, @Format, @Width, @Height, @Size)
                    """, new { Id = id, Format = format, Width = fileWidth, Height = fileHeight, Size = bytes.Length });
            }
        }
        return new SeededPicture(id, hash, width, height, fallback);
    }
}
