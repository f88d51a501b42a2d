namespace Blog.Web.Tests.Security;

/// <summary>Who is making a request, for tables of who may do what.</summary>
public enum Visitor
{
    Anonymous,
    Reader,
    Member,
    RevokedMember,
    Banned,
    Author,
    Owner,
}

/// <summary>What a request from a visitor should get.</summary>
public enum Outcome
{
    /// <summary>Not refused: the action ran (a page, a redirect after success, or a form with validation errors).</summary>
    Allowed,

    /// <summary>Sent to the sign-in page, nothing changed.</summary>
    SignIn,

    /// <summary>403 with the friendly page, nothing changed.</summary>
    Forbidden,

    /// <summary>404, nothing changed (e.g. setup once an owner exists).</summary>
    NotFound,
}
