using Microsoft.Data.Sqlite;

namespace Blog.Web.Data;

/// <summary>
/// Recognises the database failures that are about the machine, not the code: a read-only or full disk, an I/O
/// error, a file that cannot be opened, or a writer that held its lock past the busy timeout. The error page
/// answers these with a 503 that says what happened instead of the generic 500.
/// </summary>
public static class DatabaseFailure
{
    public enum Kind
    {
        None,
        CannotSave,
        Busy,
    }

    // Primary result codes (the low byte of an extended code such as SQLITE_IOERR_WRITE).
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoError = 10;
    private const int Full = 13;
    private const int CannotOpen = 14;

    public static Kind Classify(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException sqlite)
            {
                return (sqlite.SqliteErrorCode & 0xFF) switch
                {
                    ReadOnly or IoError or Full or CannotOpen => Kind.CannotSave,
                    Busy or Locked => Kind.Busy,
                    _ => Kind.None,
                };
            }
        }
        return Kind.None;
    }
}
