using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace Blog.Web.Features.Setup;

/// <summary>
/// The one-time secret that lets someone create the owner of a fresh blog. Only its hash is kept, in memory,
/// so it dies with the process; each start without an owner issues a new one. Creating the owner happens
/// under a lock that also retires the token, so two people racing with the same link cannot both succeed.
/// </summary>
public sealed class SetupToken : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[]? _hash;

    /// <summary>Makes a new token (replacing any earlier one) and returns it; only this caller ever sees it.</summary>
    public string Issue()
    {
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        _hash = Hash(token);
        return token;
    }

    public bool Matches(string? token)
    {
        var expected = _hash;
        return expected is not null && !string.IsNullOrEmpty(token) && CryptographicOperations.FixedTimeEquals(expected, Hash(token));
    }

    /// <summary>
    /// Runs <paramref name="createOwner"/> if the token matches, one caller at a time, and retires the token when it
    /// succeeds. Null means the token was refused; a failed result (e.g. a weak password) leaves the token usable.
    /// </summary>
    public async Task<IdentityResult?> RedeemAsync(string? token, Func<Task<IdentityResult>> createOwner, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!Matches(token))
            {
                return null;
            }
            var result = await createOwner();
            if (result.Succeeded)
            {
                _hash = null;
            }
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
