namespace Blog.Web.Features.Members;

/// <summary>Membership: who is a member and how one becomes one.</summary>
public static class MembersSetup
{
    public static IServiceCollection AddBlogMembers(this IServiceCollection services)
    {
        services.AddOptions<MembershipOptions>().BindConfiguration(MembershipOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<MembershipStore>();
        services.AddScoped<MembershipQueries>();
        services.AddScoped<JoinRequestCommands>();
        services.AddScoped<InvitationCommands>();
        services.AddScoped<MemberStandingCommands>();
        return services;
    }
}
