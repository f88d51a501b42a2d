namespace Blog.Web.Mail;

/// <summary>The blog's email: the sender, and the outbox with the worker that empties it.</summary>
public static class MailSetup
{
    public static IServiceCollection AddBlogMail(this IServiceCollection services)
    {
        // Validated at start, so a misspelt SmtpSecurity value stops the app instead of failing each message.
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MailSender>();
        services.AddSingleton<MailOutbox>();
        services.AddHostedService<MailOutboxWorker>();
        return services;
    }
}
