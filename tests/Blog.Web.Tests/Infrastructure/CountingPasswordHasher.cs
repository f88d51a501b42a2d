using Blog.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// Identity's password hasher, counting how often it does its (deliberately slow) work: tests prove that two answers
/// cost the same by counting hashes, never by timing them.
/// </summary>
public sealed class CountingPasswordHasher : IPasswordHasher<Member>
{
    private readonly PasswordHasher<Member> _inner = new();
    private int _uses;

    public int Uses => Volatile.Read(ref _uses);

    public string HashPassword(Member user, string password)
    {
        Interlocked.Increment(ref _uses);
        return _inner.HashPassword(user, password);
    }

    public PasswordVerificationResult VerifyHashedPassword(Member user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _uses);
        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
