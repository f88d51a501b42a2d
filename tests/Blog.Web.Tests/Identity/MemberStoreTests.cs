using System.Data.Common;
using Blog.Web.Data;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Identity;

/// <summary>The Dapper store, exercised the way the app uses it: through Identity's UserManager on the real database.</summary>
public sealed class MemberStoreTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>, IDisposable
{
    private readonly IServiceScope _scope = app.Services.CreateScope();

    private UserManager<Member> Users => _scope.ServiceProvider.GetRequiredService<UserManager<Member>>();

    public void Dispose() => _scope.Dispose();

    private static Member NewMember(string? email = null)
    {
        email ??= $"store-{Guid.NewGuid():N}@example.test";
        return new Member { UserName = email, Email = email, DisplayName = "Ada Lovelace" };
    }

    [Fact]
    public async Task CreatedMemberCanBeFoundByIdNameAndEmail()
    {
        var member = NewMember();

        var result = await Users.CreateAsync(member, BlogClient.Password);

        Assert.True(result.Succeeded);
        var byId = await Users.FindByIdAsync(member.Id);
        var byName = await Users.FindByNameAsync(member.UserName!.ToUpperInvariant());
        var byEmail = await Users.FindByEmailAsync(member.Email!);
        Assert.Equal("Ada Lovelace", byId!.DisplayName);
        Assert.Equal(member.Id, byName!.Id);
        Assert.Equal(member.Id, byEmail!.Id);
        Assert.Equal(MemberRole.Reader, byId.Role);
        Assert.NotEqual(default, byId.CreatedAt);
    }

    [Fact]
    public async Task PasswordIsHashedAndChecked()
    {
        var member = NewMember();
        await Users.CreateAsync(member, BlogClient.Password);

        var stored = await Users.FindByIdAsync(member.Id);

        Assert.DoesNotContain(BlogClient.Password, stored!.PasswordHash, StringComparison.Ordinal);
        Assert.True(await Users.CheckPasswordAsync(stored, BlogClient.Password));
        Assert.False(await Users.CheckPasswordAsync(stored, "not the password at all"));
    }

    [Fact]
    public async Task DuplicateEmailAndUserNameAreFriendlyErrors()
    {
        var first = NewMember();
        await Users.CreateAsync(first, BlogClient.Password);

        var sameEmail = await Users.CreateAsync(NewMember(first.Email), BlogClient.Password);
        var sameNameOtherEmail = NewMember();
        sameNameOtherEmail.UserName = first.UserName;
        var sameName = await Users.CreateAsync(sameNameOtherEmail, BlogClient.Password);

        Assert.False(sameEmail.Succeeded);
        Assert.Contains(sameEmail.Errors, e => e.Code is "DuplicateEmail" or "DuplicateUserName");
        Assert.False(sameName.Succeeded);
        Assert.Contains(sameName.Errors, e => e.Code == "DuplicateUserName");
    }

    [Fact]
    public async Task StoreTurnsOnlyATakenNameOrEmailIntoDuplicateErrors()
    {
        var store = _scope.ServiceProvider.GetRequiredService<IUserStore<Member>>();
        var first = Normalized(NewMember());
        Assert.True((await store.CreateAsync(first, CancellationToken.None)).Succeeded);
        var sameEmail = Normalized(NewMember(first.Email));
        sameEmail.UserName = $"other-{Guid.NewGuid():N}";
        sameEmail.NormalizedUserName = sameEmail.UserName.ToUpperInvariant();
        var sameName = Normalized(NewMember());
        sameName.UserName = first.UserName;
        sameName.NormalizedUserName = first.NormalizedUserName;

        var emailResult = await store.CreateAsync(sameEmail, CancellationToken.None);
        var nameResult = await store.CreateAsync(sameName, CancellationToken.None);

        Assert.Equal("DuplicateEmail", Assert.Single(emailResult.Errors).Code);
        Assert.Equal("DuplicateUserName", Assert.Single(nameResult.Errors).Code);
    }

    [Fact]
    public async Task StoreLetsOtherConstraintFailuresThrowInsteadOfCallingThemDuplicates()
    {
        var store = _scope.ServiceProvider.GetRequiredService<IUserStore<Member>>();
        var noDisplayName = Normalized(NewMember());
        noDisplayName.DisplayName = null!;
        var existing = Normalized(NewMember());
        Assert.True((await store.CreateAsync(existing, CancellationToken.None)).Succeeded);
        var sameId = Normalized(NewMember());
        sameId.Id = existing.Id;

        var missing = await Assert.ThrowsAnyAsync<DbException>(() => store.CreateAsync(noDisplayName, CancellationToken.None));
        var duplicateId = await Assert.ThrowsAnyAsync<DbException>(() => store.CreateAsync(sameId, CancellationToken.None));

        Assert.True(DatabaseErrors.IsConstraintViolation(missing), missing.Message);
        Assert.False(DatabaseErrors.IsUniqueViolation(missing), missing.Message);
        Assert.True(DatabaseErrors.IsUniqueViolation(duplicateId, new UniqueKey("members.id", "members_pkey")), duplicateId.Message);
    }

    private static Member Normalized(Member member)
    {
        member.NormalizedUserName = member.UserName!.ToUpperInvariant();
        member.NormalizedEmail = member.Email!.ToUpperInvariant();
        return member;
    }

    [Fact]
    public async Task UpdateFailsWhenConcurrencyStampIsStale()
    {
        var member = NewMember();
        await Users.CreateAsync(member, BlogClient.Password);
        var copyA = await Users.FindByIdAsync(member.Id);
        var copyB = await Users.FindByIdAsync(member.Id);

        copyA!.DisplayName = "First writer";
        var first = await Users.UpdateAsync(copyA);
        copyB!.DisplayName = "Second writer";
        var second = await Users.UpdateAsync(copyB);

        Assert.True(first.Succeeded);
        Assert.False(second.Succeeded);
        Assert.Contains(second.Errors, e => e.Code == "ConcurrencyFailure");
        Assert.Equal("First writer", (await Users.FindByIdAsync(member.Id))!.DisplayName);
    }

    [Fact]
    public async Task RoleAndBanArePersisted()
    {
        var member = NewMember();
        await Users.CreateAsync(member, BlogClient.Password);

        member.Role = MemberRole.Author;
        member.BannedAt = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        await Users.UpdateAsync(member);
        var stored = await Users.FindByIdAsync(member.Id);

        Assert.Equal(MemberRole.Author, stored!.Role);
        Assert.Equal(member.BannedAt, stored.BannedAt);
        Assert.True(stored.IsBanned);
    }

    [Fact]
    public async Task RepeatedFailuresLockTheAccountOut()
    {
        var member = NewMember();
        await Users.CreateAsync(member, BlogClient.Password);

        for (var attempt = 0; attempt < 5; attempt++)
        {
            await Users.AccessFailedAsync(member);
        }
        var stored = await Users.FindByIdAsync(member.Id);

        Assert.True(await Users.IsLockedOutAsync(stored!));
        Assert.True(stored!.LockoutEnd > DateTimeOffset.UtcNow.AddMinutes(10));
    }

    [Fact]
    public async Task AuthenticatorKeyAndRecoveryCodesAreStoredAndRedeemedOnce()
    {
        var member = NewMember();
        await Users.CreateAsync(member, BlogClient.Password);

        await Users.ResetAuthenticatorKeyAsync(member);
        var codes = (await Users.GenerateNewTwoFactorRecoveryCodesAsync(member, 5))!.ToList();
        var stored = await Users.FindByIdAsync(member.Id);

        Assert.False(string.IsNullOrEmpty(await Users.GetAuthenticatorKeyAsync(stored!)));
        Assert.Equal(5, await Users.CountRecoveryCodesAsync(stored!));
        Assert.True((await Users.RedeemTwoFactorRecoveryCodeAsync(stored!, codes[0])).Succeeded);
        Assert.False((await Users.RedeemTwoFactorRecoveryCodeAsync(stored!, codes[0])).Succeeded);
        Assert.Equal(4, await Users.CountRecoveryCodesAsync((await Users.FindByIdAsync(member.Id))!));
    }

    [Fact]
    public async Task DeleteRemovesTheMember()
    {
        var member = NewMember();
        await Users.CreateAsync(member, BlogClient.Password);

        var result = await Users.DeleteAsync(member);

        Assert.True(result.Succeeded);
        Assert.Null(await Users.FindByIdAsync(member.Id));
    }
}
