using Microsoft.Data.Sqlite;
using Npgsql;

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
            if (e is PostgresException postgres)
            {
                return ClassifyPostgres(postgres.SqlState);
            }
            if (e is NpgsqlException { InnerException: TimeoutException })
            {
                // No pooled connection became free in time: the database is busy, not broken.
                return Kind.Busy;
            }
            if (e is NpgsqlException)
            {
                // The server could not be reached or the connection broke.
                return Kind.CannotSave;
            }
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

    // PostgreSQL's SQLSTATE classes: 53 insufficient resources (disk full, out of memory), 58 system (I/O) errors,
    // 25006 a read-only transaction (a standby, or default_transaction_read_only), 08 connection failures; 55P03 lock
    // not available, 57014 statement timeout, 40001/40P01 serialization failure and deadlock are about waiting.
    private static Kind ClassifyPostgres(string sqlState) => sqlState switch
    {
        "25006" => Kind.CannotSave,
        "55P03" or "57014" or "40001" or "40P01" => Kind.Busy,
        _ when sqlState.StartsWith("53", StringComparison.Ordinal)
            || sqlState.StartsWith("58", StringComparison.Ordinal)
            || sqlState.StartsWith("08", StringComparison.Ordinal) => Kind.CannotSave,
        _ => Kind.None,
    };
}
