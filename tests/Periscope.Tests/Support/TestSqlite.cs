using System.Runtime.InteropServices;

namespace Periscope.Tests.Support;

/// <summary>
/// Writes to a SQLite database through the system's own SQLite (the one Periscope loads: libsqlite3
/// on Linux and macOS, winsqlite3 on Windows), as a test needs to: OpenCode's layout for a fixture,
/// canary rows in a copy; and reads back what OpenCode itself recorded. Periscope itself only ever
/// opens one read-only.
/// </summary>
internal static class TestSqlite
{
    private const string Library = "sqlite3";

    static TestSqlite() => NativeLibrary.SetDllImportResolver(typeof(TestSqlite).Assembly, static (name, _, _) =>
        name != Library ? 0
        : OperatingSystem.IsWindows() ? NativeLibrary.Load("winsqlite3.dll")
        : OperatingSystem.IsMacOS() ? NativeLibrary.Load("/usr/lib/libsqlite3.dylib")
        : NativeLibrary.Load("libsqlite3.so.0"));

    /// <summary>Runs <paramref name="sql"/> (any number of statements) against the file, creating it when missing.</summary>
    public static void Execute(string path, string sql)
    {
        Assert.True(sqlite3_open(path, out var db) == 0, $"cannot open {path}");
        try
        {
            var code = sqlite3_exec(db, sql, 0, 0, out var error);
            Assert.True(code == 0, $"SQLite error {code}: {(error == 0 ? string.Empty : Marshal.PtrToStringUTF8(error))}");
        }
        finally
        {
            sqlite3_close(db);
        }
    }

    /// <summary>Every row of a query, each column as text (null for SQL NULL); opened read-only.</summary>
    public static List<string?[]> Query(string path, string sql)
    {
        Assert.True(sqlite3_open_v2(path, out var db, 1 /* SQLITE_OPEN_READONLY */, 0) == 0, $"cannot open {path}");
        try
        {
            Assert.True(sqlite3_prepare_v2(db, sql, -1, out var statement, 0) == 0, $"SQLite cannot prepare: {Marshal.PtrToStringUTF8(sqlite3_errmsg(db))}");
            try
            {
                var rows = new List<string?[]>();
                while (sqlite3_step(statement) == 100 /* SQLITE_ROW */)
                {
                    var row = new string?[sqlite3_column_count(statement)];
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] = Marshal.PtrToStringUTF8(sqlite3_column_text(statement, i));
                    }

                    rows.Add(row);
                }

                return rows;
            }
            finally
            {
                sqlite3_finalize(statement);
            }
        }
        finally
        {
            sqlite3_close(db);
        }
    }

    [DllImport(Library)]
    private static extern int sqlite3_open_v2([MarshalAs(UnmanagedType.LPUTF8Str)] string filename, out nint db, int flags, nint vfs);

    [DllImport(Library)]
    private static extern int sqlite3_prepare_v2(nint db, [MarshalAs(UnmanagedType.LPUTF8Str)] string sql, int length, out nint statement, nint tail);

    [DllImport(Library)]
    private static extern int sqlite3_step(nint statement);

    [DllImport(Library)]
    private static extern int sqlite3_column_count(nint statement);

    [DllImport(Library)]
    private static extern nint sqlite3_column_text(nint statement, int column);

    [DllImport(Library)]
    private static extern int sqlite3_finalize(nint statement);

    [DllImport(Library)]
    private static extern nint sqlite3_errmsg(nint db);

    [DllImport(Library)]
    private static extern int sqlite3_open([MarshalAs(UnmanagedType.LPUTF8Str)] string filename, out nint db);

    [DllImport(Library)]
    private static extern int sqlite3_exec(nint db, [MarshalAs(UnmanagedType.LPUTF8Str)] string sql, nint callback, nint argument, out nint error);

    [DllImport(Library)]
    private static extern int sqlite3_close(nint db);
}
