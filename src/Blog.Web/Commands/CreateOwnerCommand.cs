using Blog.Web.Data;
using Blog.Web.Features.Setup;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Blog.Web.Mail;

namespace Blog.Web.Commands;

/// <summary>
/// <c>create-owner --email a@b.c [--name "Display Name"] [--base-url https://blog.example.com]</c>: creates the blog's
/// owner for scripted installs. The password comes from QUIRE_OWNER_PASSWORD or one line of standard input, never
/// from an argument, because arguments end up in shell history and process listings. Without a web request there is
/// no address to record as setup does: <c>--base-url</c> (or <c>Blog:BaseUrl</c>) says it.
/// </summary>
public sealed class CreateOwnerCommand : IBlogCommand
{
    public const string PasswordVariable = "QUIRE_OWNER_PASSWORD";

    private const string Usage = "Usage: create-owner --email <address> [--name \"Display Name\"] [--base-url https://blog.example.com]  (password on standard input or in " + PasswordVariable + ")";

    public async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CommandConsole console, CancellationToken cancellationToken)
    {
        if (!TryParse(args, out var email, out var name, out var baseUrl, out var problem))
        {
            await console.Error.WriteLineAsync(problem);
            await console.Error.WriteLineAsync(Usage);
            return 1;
        }
        var password = console.GetEnvironmentVariable(PasswordVariable);
        if (string.IsNullOrEmpty(password))
        {
            password = (await console.In.ReadLineAsync(cancellationToken))?.TrimEnd('\r');
        }
        if (string.IsNullOrEmpty(password))
        {
            await console.Error.WriteLineAsync($"No password: pipe it on standard input (one line) or set {PasswordVariable}.");
            return 1;
        }

        await services.GetRequiredService<SchemaMigrator>().ApplyAsync(cancellationToken);
        await using var scope = services.CreateAsyncScope();
        var owners = scope.ServiceProvider.GetRequiredService<OwnerCommands>();
        var (result, owner) = await owners.CreateOwnerAsync(email, name, password, cancellationToken);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                await console.Error.WriteLineAsync(error.Description);
            }
            await console.Error.WriteLineAsync("No owner was created.");
            return 1;
        }
        await console.Out.WriteLineAsync($"Created the owner account {owner!.Email} ({owner.DisplayName}). Sign in at /account/sign-in.");
        var address = services.GetRequiredService<CanonicalAddress>();
        if (baseUrl is not null)
        {
            await address.RecordAsync(baseUrl, cancellationToken);
        }
        await console.Out.WriteLineAsync(address.Known is { } known
            ? $"The blog's address is {known}."
            : "The blog does not know its public address yet: set Blog:BaseUrl, or the address in Settings once signed in. Until then links in mail and feeds use the address it listens on.");
        return 0;
    }

    private static bool TryParse(IReadOnlyList<string> args, out string email, out string name, out string? baseUrl, out string problem)
    {
        email = "";
        name = "Owner";
        baseUrl = null;
        problem = "";
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--email" when value is not null:
                    email = value.Trim();
                    i++;
                    break;
                case "--name" when value is not null:
                    name = value.Trim();
                    i++;
                    break;
                case "--base-url" when value is not null:
                    if (!CanonicalAddress.TryParse(value, out var parsed, out var addressProblem))
                    {
                        problem = $"--base-url: {addressProblem}";
                        return false;
                    }
                    baseUrl = parsed;
                    i++;
                    break;
                case "--password":
                    problem = $"Passwords are never taken as arguments (they end up in shell history). Use standard input or {PasswordVariable}.";
                    return false;
                default:
                    problem = $"Unexpected argument '{args[i]}'.";
                    return false;
            }
        }
        if (!MailAddresses.IsValid(email))
        {
            problem = "Give a valid email address with --email.";
            return false;
        }
        if (name.Length == 0 || name.Length > Member.DisplayNameMaxLength)
        {
            problem = $"The display name must be 1 to {Member.DisplayNameMaxLength} characters.";
            return false;
        }
        return true;
    }
}
