using Blog.Web.Data;
using Blog.Web.Features.Account;
using Blog.Web.Identity;
using Dapper;

namespace Blog.Web.Features.Comments;

/// <summary>
/// The "notificationPreferences" part of a person's data download: the mail they asked for. Someone who never chose
/// has no row, and gets the defaults they live under.
/// </summary>
public sealed class NotificationPreferencesDataSection(BlogDatabase db) : IAccountDataSection
{
    public string Name => "notificationPreferences";

    public async Task<object?> ReadAsync(Member member, CancellationToken cancellationToken)
    {
        const string sql = "SELECT email_reply_notices, updated_at FROM member_preferences WHERE member_id = @MemberId;";
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ExportedPreferences>(
            new CommandDefinition(sql, new { MemberId = member.Id }, cancellationToken: cancellationToken)) ?? new ExportedPreferences();
    }
}

public sealed record ExportedPreferences
{
    /// <summary>Mail me when someone replies to my comments.</summary>
    public bool EmailReplyNotices { get; init; }

    public DateTime? UpdatedAt { get; init; }
}
