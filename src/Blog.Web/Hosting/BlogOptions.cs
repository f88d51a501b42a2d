namespace Blog.Web.Hosting;

/// <summary>The <c>Blog</c> section of configuration.</summary>
public sealed class BlogOptions
{
    public const string SectionName = "Blog";

    /// <summary>
    /// The one folder the running blog writes to: database, data-protection keys, outgoing mail, backups.
    /// A relative path is resolved against the content root (src/Blog.Web when run from the repo).
    /// </summary>
    public string DataDirectory { get; set; } = "App_Data";

    /// <summary>
    /// The blog's public address, e.g. https://blog.example.com: every absolute link is built from it, and requests
    /// for other hosts are refused. When empty, the address used for the one-time setup link is recorded instead.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>Site settings used until the owner changes them from the UI.</summary>
    public SiteDefaults Defaults { get; set; } = new();
}

/// <summary>Defaults for the settings the owner can edit; stored values in the database win.</summary>
public sealed class SiteDefaults
{
    public string Title { get; set; } = "My Quire blog";

    public string Description { get; set; } = "";

    [System.ComponentModel.DataAnnotations.Range(1, 100)]
    public int PostsPerPage { get; set; } = 10;

    public string TimeZone { get; set; } = "UTC";

    public string DateFormat { get; set; } = "dddd, d MMMM yyyy";

    public Features.Settings.MembershipMode MembershipMode { get; set; } = Features.Settings.MembershipMode.InviteOnly;

    /// <summary>Comment moderation and closing rules until the owner changes them on the moderation page.</summary>
    public Features.Settings.CommentSettings Comments { get; set; } = new();
}
