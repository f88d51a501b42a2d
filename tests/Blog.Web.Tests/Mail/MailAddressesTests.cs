using System.ComponentModel.DataAnnotations;
using Blog.Web.Mail;
using MimeKit;

namespace Blog.Web.Tests.Mail;

public sealed class MailAddressesTests
{
    public static TheoryData<string> Unmailable() =>
    [
        "a.@x.com",
        ".a@x.com",
        "a..b@x.com",
        "a@",
        "\"x\"@",
        "@x.com",
        "a b@x.com",
        "a@x .com",
        "a\t@x.com",
        "a\u0001b@x.com",
        "Name <a@x.com>",
        "a@x.com, b@y.com",
        "<a@x.com>",
        "a@[x",
        "a@x@y.com",
        new string('a', 250) + "@x.com",
    ];

    [Theory]
    [MemberData(nameof(Unmailable))]
    public void AddressesMimeKitCannotUseAsOneMailboxAreRefused(string address)
    {
        var attribute = new MailableEmailAttribute();

        Assert.False(MailAddresses.IsValid(address));
        Assert.False(attribute.IsValid(address));
    }

    [Theory]
    [InlineData("someone@example.test")]
    [InlineData("first.last+tag@sub.example.org")]
    [InlineData("o'brien@example.ie")]
    [InlineData("UPPER@EXAMPLE.COM")]
    public void OrdinaryAddressesAreAcceptedAndParseForSending(string address)
    {
        Assert.True(MailAddresses.IsValid(address));
        Assert.Equal(address, MailboxAddress.Parse(address).Address);
    }

    [Fact]
    public void OddAddressesThatTheFrameworkAttributeLetsThroughAreNowRefused()
    {
        var framework = new EmailAddressAttribute();

        Assert.True(framework.IsValid("a.@x.com"));
        Assert.False(new MailableEmailAttribute().IsValid("a.@x.com"));
    }

    [Fact]
    public void EmptyIsLeftToRequired()
    {
        var attribute = new MailableEmailAttribute();

        Assert.True(attribute.IsValid(null));
        Assert.True(attribute.IsValid(""));
    }
}
