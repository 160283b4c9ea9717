using System.Runtime.InteropServices;

namespace Periscope.Tests.Support;

/// <summary>
/// Writes to a SQLite database through the system's own SQLite (the one Periscope loads: libsqlite3
/// on Linux and macOS, winsqlite3 on Windows), as a test needs to: OpenCode's layout for a fixture,
/// canary rows in a copy. Periscope itself only ever opens one read-only.
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

    [DllImport(Library)]
    private static extern int sqlite3_open([MarshalAs(UnmanagedType.LPUTF8Str)] string filename, out nint db);

    [DllImport(Library)]
    private static extern int sqlite3_exec(nint db, [MarshalAs(UnmanagedType.LPUTF8Str)] string sql, nint callback, nint argument, out nint error);

    [DllImport(Library)]
    private static extern int sqlite3_close(nint db);
}
