using Blog.Web.Features.Authoring;
using Blog.Web.Features.Comments;
using Blog.Web.Features.Media;
using Blog.Web.Features.Members;
using Microsoft.AspNetCore.Identity;

namespace Blog.Web.Features.Account;

/// <summary>A person's own account: its data download, and two-factor sign-in with an authenticator app.</summary>
public static class AccountSetup
{
    public static IServiceCollection AddBlogAccount(this IServiceCollection services)
    {
        services.AddScoped<AccountDataExport>();
        // Sections appear in the file in the order they are registered here. AccountDataExportTests fails when a
        // table or a members column that holds someone's data is neither exported nor listed as withheld.
        services.AddScoped<IAccountDataSection, ProfileDataSection>();
        services.AddScoped<IAccountDataSection, PostsDataSection>();
        services.AddScoped<IAccountDataSection, CommentsDataSection>();
        services.AddScoped<IAccountDataSection, CommentReportsDataSection>();
        services.AddScoped<IAccountDataSection, NotificationPreferencesDataSection>();
        services.AddScoped<IAccountDataSection, MembershipRequestsDataSection>();
        services.AddScoped<IAccountDataSection, InvitationsSentDataSection>();
        services.AddScoped<IAccountDataSection, InvitationsAcceptedDataSection>();
        services.AddScoped<IAccountDataSection, PicturesDataSection>();
        services.AddScoped<IAccountDataSection, Import.Runs.ImportRunsDataSection>();
        services.AddScoped<IAccountDataSection, RevisionsDataSection>();
        services.AddScoped<IAccountDataSection, AutosavesDataSection>();
        services.AddScoped<IAccountDataSection, Moderation.MailLinksDataSection>();
        services.AddScoped<IAccountDataSection, Micropub.MicropubDeletionsDataSection>();
        services.AddScoped<IAccountDataSection, IndieAuth.AppsDataSection>();
        services.AddScoped<IAccountDataSection, IndieAuth.AppApprovalsDataSection>();
        services.AddScoped<AccountCommands>();
        services.AddScoped<ImportedCommentClaims>();
        // Two-factor means an authenticator app here. Identity's default phone provider would throw (the store
        // keeps no phone numbers) when sign-in lists the valid providers, and email codes are not offered.
        // PostConfigure, so this runs after AddDefaultTokenProviders has filled the map, whatever the call order.
        services.PostConfigure<IdentityOptions>(options =>
        {
            options.Tokens.ProviderMap.Remove(TokenOptions.DefaultPhoneProvider);
            options.Tokens.ProviderMap.Remove(TokenOptions.DefaultEmailProvider);
        });
        return services;
    }
}
