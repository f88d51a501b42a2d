namespace Blog.Web.Tests.Infrastructure;

public sealed class TotpTests
{
    [Theory]
    [InlineData(59, "287082")]
    [InlineData(1111111109, "081804")]
    [InlineData(1234567890, "005924")]
    [InlineData(2000000000, "279037")]
    public void MatchesTheRfc6238TestVectorsForSha1(long unixSeconds, string expected)
    {
        // RFC 6238's SHA-1 key is the ASCII string "12345678901234567890", here in base32.
        const string key = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

        var code = Totp.CodeFor(key, DateTimeOffset.FromUnixTimeSeconds(unixSeconds));

        Assert.Equal(expected, code);
    }
}
