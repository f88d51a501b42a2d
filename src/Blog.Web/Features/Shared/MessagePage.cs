// What Features/Shared holds is shown by more than one feature; its types are in the namespace every feature's is in.
namespace Blog.Web.Features;

/// <summary>
/// A short page that only says something: a refusal, a link that cannot be used, or a confirmation (check your inbox,
/// you are unsubscribed). The controller sets the status code; a link offers the way on when there is one.
/// </summary>
public sealed record MessagePage(string Heading, string Text, string? LinkText = null, string? LinkUrl = null);
