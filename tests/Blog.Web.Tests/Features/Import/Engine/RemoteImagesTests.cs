using System.Net;
using Blog.Web.Features.Import;
using Blog.Web.Features.Media;
using Microsoft.Extensions.Options;

namespace Blog.Web.Tests.Features.Import.Engine;

public sealed class RemoteImagesTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("::1")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.1.2.3")]
    [InlineData("2002:7f00:1::1")]
    [InlineData("2001:db8::1")]
    public void PrivateLocalAndReservedAddressesAreNotPublic(string address)
    {
        Assert.False(RemoteImages.IsPublic(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("172.32.0.1")]
    [InlineData("8.8.8.8")]
    [InlineData("2606:4700::6810:85e5")]
    [InlineData("::ffff:8.8.8.8")]
    public void PublicAddressesArePublic(string address)
    {
        Assert.True(RemoteImages.IsPublic(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("http://1.bp.blogspot.com/a.jpg", "only https")]
    [InlineData("ftp://example.com/a.jpg", "only https")]
    [InlineData("https://user:secret@example.com/a.jpg", "user name")]
    [InlineData("https://127.0.0.1/a.jpg", "private or local")]
    [InlineData("https://[::1]/a.jpg", "private or local")]
    [InlineData("https://10.9.8.7/a.jpg", "private or local")]
    [InlineData("https://172.16.5.4/a.jpg", "private or local")]
    [InlineData("https://192.168.0.10/a.jpg", "private or local")]
    [InlineData("https://169.254.169.254/latest/meta-data/", "private or local")]
    [InlineData("https://[fc00::5]/a.jpg", "private or local")]
    [InlineData("https://[::ffff:127.0.0.1]/a.jpg", "private or local")]
    [InlineData("https://0.0.0.0/a.jpg", "private or local")]
    [InlineData("https://localhost/a.jpg", "private or local")]
    public async Task FetchesThatCouldReachThisMachineOrItsNetworkAreRefusedWithAReason(string address, string reason)
    {
        using var remote = new RemoteImages(Options.Create(new MediaOptions()));

        var fetch = await remote.FetchAsync(address, CancellationToken.None);

        Assert.Null(fetch.Content);
        Assert.Contains(reason, fetch.Refusal, StringComparison.Ordinal);
    }
}
