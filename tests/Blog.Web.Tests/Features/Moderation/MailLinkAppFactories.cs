using System.Globalization;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Moderation;

/// <summary>
/// The blog on a test clock with the per-client limit on mail-link decisions out of the way: every test client
/// shares one address, and the hostile-input tests alone send dozens.
/// </summary>
public sealed class MailLinkAppFactory : CommentAppFactory
{
    public MailLinkAppFactory() => Settings["Blog:Moderation:MailLinkDecisionsPerMinute"] = "10000";
}

/// <summary>A blog whose mail links allow only a few decisions a minute from one client.</summary>
public sealed class FewMailLinkDecisionsAppFactory : CommentAppFactory
{
    public const int PerMinute = 3;

    public FewMailLinkDecisionsAppFactory() => Settings["Blog:Moderation:MailLinkDecisionsPerMinute"] = PerMinute.ToString(CultureInfo.InvariantCulture);
}
