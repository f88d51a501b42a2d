using Blog.Web.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>The blog with a password hasher that counts its work (see <see cref="CountingPasswordHasher"/>).</summary>
public class CountingHasherAppFactory : BlogAppFactory
{
    public CountingPasswordHasher Hasher { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Scoped<IPasswordHasher<Member>>(_ => Hasher)));
    }
}

/// <summary>
/// The blog with its mail outbox never delivering (the background sender is not started): whatever a request mails
/// stays queued, so a message in the mail folder can only have been sent while the request was being answered.
/// </summary>
public sealed class PausedMailAppFactory : BlogAppFactory
{
    public string MailFolder => Path.Combine(DataDirectory, "mail");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            var senders = services.Where(s => s.ServiceType == typeof(IHostedService)
                && s.ImplementationType?.Namespace == typeof(Blog.Web.Mail.MailOutbox).Namespace).ToList();
            Assert.NotEmpty(senders);
            foreach (var sender in senders)
            {
                services.Remove(sender);
            }
        });
    }
}
