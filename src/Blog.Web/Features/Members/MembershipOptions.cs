using System.ComponentModel.DataAnnotations;

namespace Blog.Web.Features.Members;

/// <summary>The <c>Blog:Membership</c> section.</summary>
public sealed class MembershipOptions
{
    public const string SectionName = "Blog:Membership";

    /// <summary>How long an invitation link stays usable.</summary>
    [Range(1, 365)]
    public int InvitationDays { get; set; } = 7;
}
