using Blog.Web.Mail;
using Blog.Web.Tests.Infrastructure;
using MailKit.Security;
using Microsoft.Extensions.Configuration;

namespace Blog.Web.Tests.Mail;

public sealed class MailOptionsTests
{
    [Theory]
    [InlineData(SmtpSecurity.Auto, "user", SecureSocketOptions.StartTls)]
    [InlineData(SmtpSecurity.Auto, null, SecureSocketOptions.StartTlsWhenAvailable)]
    [InlineData(SmtpSecurity.Auto, "", SecureSocketOptions.StartTlsWhenAvailable)]
    [InlineData(SmtpSecurity.StartTls, null, SecureSocketOptions.StartTls)]
    [InlineData(SmtpSecurity.StartTls, "user", SecureSocketOptions.StartTls)]
    [InlineData(SmtpSecurity.SslOnConnect, "user", SecureSocketOptions.SslOnConnect)]
    [InlineData(SmtpSecurity.SslOnConnect, null, SecureSocketOptions.SslOnConnect)]
    [InlineData(SmtpSecurity.None, "user", SecureSocketOptions.None)]
    [InlineData(SmtpSecurity.None, null, SecureSocketOptions.None)]
    public void SecuritySettingMapsToTheMailKitOption(SmtpSecurity security, string? user, SecureSocketOptions expected)
    {
        var options = new MailOptions { SmtpSecurity = security, SmtpUser = user };

        Assert.Equal(expected, options.SocketOptions);
    }

    [Fact]
    public void CredentialsNeverGoInClearUnlessNoneIsChosen()
    {
        var clear = Enum.GetValues<SmtpSecurity>()
            .Where(security => new MailOptions { SmtpSecurity = security, SmtpUser = "user" }.SocketOptions
                is SecureSocketOptions.None or SecureSocketOptions.StartTlsWhenAvailable or SecureSocketOptions.Auto)
            .ToList();

        Assert.Equal([SmtpSecurity.None], clear);
    }

    [Theory]
    [InlineData(null, SmtpSecurity.Auto)]
    [InlineData("StartTls", SmtpSecurity.StartTls)]
    [InlineData("SslOnConnect", SmtpSecurity.SslOnConnect)]
    [InlineData("none", SmtpSecurity.None)]
    public void SecurityIsReadFromConfiguration(string? configured, SmtpSecurity expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Blog:Mail:SmtpSecurity"] = configured })
            .Build();

        var options = configuration.GetSection(MailOptions.SectionName).Get<MailOptions>() ?? new MailOptions();

        Assert.Equal(expected, options.SmtpSecurity);
    }

    [Fact]
    public void AMisspeltSecurityValueStopsTheAppAtStartInsteadOfAtTheFirstEmail()
    {
        using var app = new BlogAppFactory();
        app.Settings["Blog:Mail:SmtpSecurity"] = "Tls";

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("SmtpSecurity", failure.ToString(), StringComparison.Ordinal);
    }
}
