using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Periscope.Platform;

/// <summary>
/// The system's own SQLite (libsqlite3 on Linux and macOS, winsqlite3 on Windows), loaded at run
/// time and bound by hand: Periscope ships no SQLite of its own, and only the commands that read
/// another program's database link this type. A connection is read-only and can read only the
/// tables it was opened for: an authorizer denies every other table, so a query that strays
/// (a typo, a join, a future change) fails instead of reading what it must not.
/// </summary>
internal sealed unsafe class SystemSqlite : IDisposable
{
    private const int SqliteOk = 0;
    private const int SqliteRow = 100;
    private const int SqliteDone = 101;
    private const int OpenReadOnly = 0x1;
    private const int OpenUri = 0x40;
    private const int AuthDeny = 1;
    private const int ActionRead = 20;
    private const int ActionSelect = 21;
    private const int ActionFunction = 31;

    private static readonly Lazy<Functions?> Native = new(Load);

    private readonly Functions _f;
    private readonly GCHandle _readable;
    private nint _db;

    private SystemSqlite(Functions functions, nint db, GCHandle readable)
    {
        _f = functions;
        _db = db;
        _readable = readable;
    }

    /// <summary>The library's version ("3.40.1"), or null when the system has no SQLite.</summary>
    public static string? Version => Native.Value is { } f ? Marshal.PtrToStringUTF8(f.LibVersion()) : null;

    /// <summary>
    /// Opens <paramref name="path"/> read-only (a writer using WAL is never blocked; a moment's lock
    /// is waited out for up to <paramref name="busyTimeout"/>), able to read <paramref name="tables"/> only.
    /// </summary>
    /// <exception cref="SqliteException">No system SQLite, or the file cannot be opened as a database.</exception>
    public static SystemSqlite Open(string path, IReadOnlyCollection<string> tables, TimeSpan busyTimeout)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tables);
        var f = Native.Value ?? throw new SqliteException($"no SQLite library was found on this system ({LibraryNames}); install SQLite 3 (Debian and Ubuntu: apt-get install libsqlite3-0)");
        // First as a reader of the wal-index only (see ReadOnlyUri). A database no connection has
        // open in WAL mode has no wal-index to read: then plainly read-only.
        var db = TryOpen(f, ReadOnlyUri(path, sharedMemory: false), busyTimeout, out _)
            ?? TryOpen(f, ReadOnlyUri(path, sharedMemory: true), busyTimeout, out var problem)
            ?? throw new SqliteException($"cannot open {path} read-only: {problem}");
        var readable = GCHandle.Alloc(new HashSet<string>(tables, StringComparer.OrdinalIgnoreCase));
        var connection = new SystemSqlite(f, db, readable);
        f.SetAuthorizer(db, &Authorize, GCHandle.ToIntPtr(readable));
        return connection;
    }

    // Opens and reads the schema once, so a file that cannot be read this way fails here.
    private static nint? TryOpen(Functions f, string uri, TimeSpan busyTimeout, out string? problem)
    {
        nint db = 0;
        int code;
        fixed (byte* name = Utf8(uri))
        {
            code = f.Open(name, &db, OpenReadOnly | OpenUri, null);
        }

        if (code == SqliteOk)
        {
            f.BusyTimeout(db, (int)busyTimeout.TotalMilliseconds);
            nint probe = 0;
            fixed (byte* sql = "SELECT count(*) FROM sqlite_master"u8)
            {
                code = f.Prepare(db, sql, -1, &probe, null);
            }

            if (code == SqliteOk)
            {
                code = f.Step(probe) == SqliteRow ? SqliteOk : 1;
                f.Finalize(probe);
            }
        }

        if (code == SqliteOk)
        {
            problem = null;
            return db;
        }

        // Both take NULL: a connection that could not even be allocated reads "out of memory".
        problem = Marshal.PtrToStringUTF8(f.ErrorMessage(db)) ?? $"error {code}";
        f.Close(db);
        return null;
    }

    /// <summary>Compiles one statement; its error names the missing table or column.</summary>
    /// <exception cref="SqliteException">The statement does not compile against this database.</exception>
    public SqliteStatement Prepare(string sql)
    {
        ObjectDisposedException.ThrowIf(_db == 0, this);
        nint statement = 0;
        var text = Utf8(sql);
        fixed (byte* p = text)
        {
            if (_f.Prepare(_db, p, text.Length, &statement, null) != SqliteOk)
            {
                throw new SqliteException(Marshal.PtrToStringUTF8(_f.ErrorMessage(_db)) ?? "cannot prepare a statement");
            }
        }

        return new SqliteStatement(this, statement);
    }

    public void Dispose()
    {
        if (_db != 0)
        {
            _f.Close(_db);
            _db = 0;
            _readable.Free();
        }
    }

    // Called by SQLite while a statement compiles: reads of other tables, pragmas and anything
    // but a plain SELECT are denied.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Authorize(nint state, int action, byte* first, byte* second, byte* database, byte* trigger)
    {
        switch (action)
        {
            case ActionSelect or ActionFunction:
                return SqliteOk;
            case ActionRead:
                var tables = (HashSet<string>)GCHandle.FromIntPtr(state).Target!;
                var table = Marshal.PtrToStringUTF8((nint)first);
                return table is not null && tables.Contains(table) ? SqliteOk : AuthDeny;
            default:
                return AuthDeny; // pragmas, writes, attaching another database
        }
    }

    // readonly_shm=1: the wal-index is only ever read, never rebuilt by this connection. Rebuilding
    // it locks every other connection out for a moment, and a program that opens the database
    // then, before it has set a busy timeout (OpenCode sets its own after its first statement),
    // fails with "database is locked" (tests/e2e/ImportTests.cs caught it one start in eight).
    private static string ReadOnlyUri(string path, bool sharedMemory)
    {
        var full = Path.GetFullPath(path).Replace('\\', '/');
        var escaped = new StringBuilder("file:");
        if (!full.StartsWith('/'))
        {
            escaped.Append('/'); // file:/C:/...
        }

        foreach (var c in full)
        {
            escaped.Append(c is '?' or '#' or '%' ? $"%{(int)c:X2}" : c.ToString());
        }

        return escaped.Append(sharedMemory ? "?mode=ro" : "?mode=ro&readonly_shm=1").ToString();
    }

    private static byte[] Utf8(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    private static string LibraryNames => string.Join(", ", Candidates());

    private static string[] Candidates()
        => HostOS.IsWindows ? ["winsqlite3.dll", "sqlite3.dll"]
            : HostOS.IsMacOS ? ["/usr/lib/libsqlite3.dylib", "libsqlite3.dylib"]
            : ["libsqlite3.so.0", "libsqlite3.so"];

    private static Functions? Load()
    {
        foreach (var name in Candidates())
        {
            if (NativeLibrary.TryLoad(name, out var library))
            {
                if (Bind(library) is { } functions)
                {
                    return functions;
                }

                NativeLibrary.Free(library);
            }
        }

        return null;
    }

    private static Functions? Bind(nint library)
    {
        nint Export(string name) => NativeLibrary.TryGetExport(library, name, out var address) ? address : 0;
        var exports = new[]
        {
            Export("sqlite3_open_v2"), Export("sqlite3_close_v2"), Export("sqlite3_busy_timeout"), Export("sqlite3_set_authorizer"),
            Export("sqlite3_prepare_v2"), Export("sqlite3_step"), Export("sqlite3_finalize"), Export("sqlite3_bind_int64"),
            Export("sqlite3_column_type"), Export("sqlite3_column_int64"), Export("sqlite3_column_text"),
            Export("sqlite3_column_bytes"), Export("sqlite3_errmsg"), Export("sqlite3_libversion"),
        };
        if (exports.Contains(0))
        {
            return null;
        }

        return new Functions
        {
            Open = (delegate* unmanaged<byte*, nint*, int, byte*, int>)exports[0],
            Close = (delegate* unmanaged<nint, int>)exports[1],
            BusyTimeout = (delegate* unmanaged<nint, int, int>)exports[2],
            SetAuthorizer = (delegate* unmanaged<nint, delegate* unmanaged[Cdecl]<nint, int, byte*, byte*, byte*, byte*, int>, nint, int>)exports[3],
            Prepare = (delegate* unmanaged<nint, byte*, int, nint*, byte**, int>)exports[4],
            Step = (delegate* unmanaged<nint, int>)exports[5],
            Finalize = (delegate* unmanaged<nint, int>)exports[6],
            BindInt64 = (delegate* unmanaged<nint, int, long, int>)exports[7],
            ColumnType = (delegate* unmanaged<nint, int, int>)exports[8],
            ColumnInt64 = (delegate* unmanaged<nint, int, long>)exports[9],
            ColumnText = (delegate* unmanaged<nint, int, byte*>)exports[10],
            ColumnBytes = (delegate* unmanaged<nint, int, int>)exports[11],
            ErrorMessage = (delegate* unmanaged<nint, nint>)exports[12],
            LibVersion = (delegate* unmanaged<nint>)exports[13],
        };
    }

    private sealed class Functions
    {
        public delegate* unmanaged<byte*, nint*, int, byte*, int> Open;
        public delegate* unmanaged<nint, int> Close;
        public delegate* unmanaged<nint, int, int> BusyTimeout;
        public delegate* unmanaged<nint, delegate* unmanaged[Cdecl]<nint, int, byte*, byte*, byte*, byte*, int>, nint, int> SetAuthorizer;
        public delegate* unmanaged<nint, byte*, int, nint*, byte**, int> Prepare;
        public delegate* unmanaged<nint, int> Step;
        public delegate* unmanaged<nint, int> Finalize;
        public delegate* unmanaged<nint, int, long, int> BindInt64;
        public delegate* unmanaged<nint, int, int> ColumnType;
        public delegate* unmanaged<nint, int, long> ColumnInt64;
        public delegate* unmanaged<nint, int, byte*> ColumnText;
        public delegate* unmanaged<nint, int, int> ColumnBytes;
        public delegate* unmanaged<nint, nint> ErrorMessage;
        public delegate* unmanaged<nint> LibVersion;
    }

    /// <summary>One compiled statement: bind, then step through its rows; columns are read by position.</summary>
    internal sealed class SqliteStatement : IDisposable
    {
        private const int ColumnNull = 5;
        private readonly SystemSqlite _connection;
        private nint _statement;

        internal SqliteStatement(SystemSqlite connection, nint statement)
        {
            _connection = connection;
            _statement = statement;
        }

        public void Bind(int parameter, long value) => _connection._f.BindInt64(_statement, parameter, value);

        /// <summary>True when a row is ready, false at the end.</summary>
        /// <exception cref="SqliteException">The database was busy for longer than the timeout, or is damaged.</exception>
        public bool Step()
        {
            var code = _connection._f.Step(_statement);
            return code switch
            {
                SqliteRow => true,
                SqliteDone => false,
                _ => throw new SqliteException(Marshal.PtrToStringUTF8(_connection._f.ErrorMessage(_connection._db)) ?? $"error {code}"),
            };
        }

        public bool IsNull(int column) => _connection._f.ColumnType(_statement, column) == ColumnNull;

        public long? Int64(int column) => IsNull(column) ? null : _connection._f.ColumnInt64(_statement, column);

        public string? Text(int column) => IsNull(column) ? null : Encoding.UTF8.GetString(Utf8Text(column));

        /// <summary>The column as UTF-8, valid until the next step.</summary>
        public ReadOnlySpan<byte> Utf8Text(int column)
        {
            var text = _connection._f.ColumnText(_statement, column);
            return text is null ? [] : new ReadOnlySpan<byte>(text, _connection._f.ColumnBytes(_statement, column));
        }

        public void Dispose()
        {
            if (_statement != 0)
            {
                _connection._f.Finalize(_statement);
                _statement = 0;
            }
        }
    }
}

/// <summary>SQLite could not be loaded, or refused a call; the message says which and why.</summary>
internal sealed class SqliteException : Exception
{
    public SqliteException()
    {
    }

    public SqliteException(string message)
        : base(message)
    {
    }

    public SqliteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
