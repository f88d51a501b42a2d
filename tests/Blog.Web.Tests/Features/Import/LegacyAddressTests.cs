using Blog.Web.Features.Import;

namespace Blog.Web.Tests.Features.Import;

public sealed class LegacyAddressTests
{
    [Theory]
    [InlineData("http://www.kriscargile.com/2011/10/some-post.html", "/2011/10/some-post.html")]
    [InlineData("https://example.blogspot.com/2011/10/some-post.html?m=1", "/2011/10/some-post.html")]
    [InlineData("/2011/10/Some-Post.html", "/2011/10/some-post.html")]
    [InlineData("https://example.org/2008/09/02/caf%C3%A9-post/", "/2008/09/02/café-post")]
    [InlineData("https://example.org/category/travel/", "/category/travel")]
    [InlineData("https://example.org/?p=123", "/?p=123")]
    [InlineData("https://example.org/?page_id=7&preview=true", "/?page_id=7")]
    [InlineData("/?p=12&page_id=7", "/?page_id=7")]
    [InlineData("https://example.org/feed/", "/feed")]
    [InlineData("/p/about.html#top", "/p/about.html")]
    public void OldAddressesAreStoredByPathAndPostNumber(string address, string expected) =>
        Assert.Equal(expected, LegacyAddress.Normalize(address));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://example.org/")]
    [InlineData("https://example.org/?p=abc")]
    [InlineData("/?p=-1")]
    [InlineData("ftp://example.org/file")]
    [InlineData("javascript:alert(1)")]
    [InlineData("//evil.example/path")]
    [InlineData("not an address")]
    public void AddressesThatNameNothingAreNull(string? address) => Assert.Null(LegacyAddress.Normalize(address));

    [Fact]
    public void AnAddressTooLongIsNotStored() =>
        Assert.Null(LegacyAddress.Normalize("/" + new string('a', LegacyAddress.MaxLength + 1)));

    [Fact]
    public void AMalformedEscapeIsKeptAsWritten() =>
        Assert.Equal("/2011/10/100%-sure.html", LegacyAddress.Normalize("/2011/10/100%-sure.html"));

    [Theory]
    [InlineData("/2011/10/Some-Post.html", "", "/2011/10/some-post.html")]
    [InlineData("/", "?p=123&utm_source=x", "/?p=123")]
    [InlineData("/", "?m=1", null)]
    [InlineData("/about/", null, "/about")]
    public void ARequestMeetsTheStoredForm(string path, string? query, string? expected) =>
        Assert.Equal(expected, LegacyAddress.ForRequest(path, query));
}
