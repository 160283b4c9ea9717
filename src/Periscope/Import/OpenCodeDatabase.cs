using System.Globalization;
using Periscope.Platform;

namespace Periscope.Import;

/// <summary>A session as OpenCode's database records it: ids, title, directory and times (epoch ms), and OpenCode 2's running totals.</summary>
internal sealed record StoredSession(string Id, string? ParentId, string? Title, string? Directory, string? ProjectId, long Created, long Updated, StoredTotals? Totals = null);

/// <summary>OpenCode 2's totals of a session (<c>session_v2</c>): every step and the requests without one, such as the title.</summary>
internal sealed record StoredTotals(decimal Cost, long Input, long Output, long Reasoning, long CacheRead, long CacheWrite);

/// <summary>Called with each stored message: its id, its session's id and its info as the JSON OpenCode stored.</summary>
internal delegate void StoredMessageVisitor(string id, string sessionId, ReadOnlySpan<byte> data);

/// <summary>Which OpenCode wrote the tables a database is read from.</summary>
internal enum OpenCodeLayout
{
    /// <summary>OpenCode 1.18: <c>session</c> and <c>message</c>.</summary>
    V1,

    /// <summary>OpenCode 2: <c>session_v2</c> and <c>session_message</c>.</summary>
    V2,
}

/// <summary>
/// OpenCode's own database (<c>$XDG_DATA_HOME/opencode/opencode.db</c>, SQLite in WAL mode, the same
/// file name in 1.18 and 2.x), opened read-only through the system's SQLite so that a running
/// OpenCode is never blocked. OpenCode 2's tables are read where they exist: started on a 1.18
/// data directory, OpenCode 2 copies its sessions into them and leaves the old tables in place,
/// so reading both would count each message twice. Only the session and message tables can be
/// read: the same file holds sign-in tokens (<c>account</c>, <c>credential</c>,
/// <c>control_account</c>), and the connection's authorizer denies every other table.
/// </summary>
internal sealed class OpenCodeDatabase : IDisposable
{
    /// <summary>The OpenCode versions whose database layouts this reads.</summary>
    public const string KnownVersion = "OpenCode 2.x (@opencode/cli 2.1.2) or 1.18 (opencode-ai 1.18.33)";

    private const string SessionQuery = "SELECT id, parent_id, title, directory, project_id, time_created, time_updated, NULL, NULL, NULL, NULL, NULL, NULL FROM session";
    private const string MessageQuery = "SELECT id, session_id, data FROM message WHERE time_created >= ?1";
    private const string SessionQueryV2 = "SELECT id, parent_id, title, directory, project_id, time_created, time_updated, cost, tokens_input, tokens_output, tokens_reasoning, tokens_cache_read, tokens_cache_write FROM session_v2";
    private const string MessageQueryV2 = "SELECT id, session_id, data FROM session_message WHERE type = 'assistant' AND time_created >= ?1";

    private static readonly string[] s_tables = ["message", "session", "session_message", "session_v2"];
    private static readonly TimeSpan s_busyTimeout = TimeSpan.FromSeconds(10);

    private readonly SystemSqlite _sqlite;
    private readonly SystemSqlite.SqliteStatement _sessions;
    private readonly SystemSqlite.SqliteStatement _messages;

    private OpenCodeDatabase(string path, OpenCodeLayout layout, SystemSqlite sqlite, SystemSqlite.SqliteStatement sessions, SystemSqlite.SqliteStatement messages)
    {
        Path = path;
        Layout = layout;
        _sqlite = sqlite;
        _sessions = sessions;
        _messages = messages;
    }

    public string Path { get; }

    /// <summary>Which OpenCode's tables are read.</summary>
    public OpenCodeLayout Layout { get; }

    /// <summary>Where OpenCode keeps its database: $XDG_DATA_HOME/opencode/opencode.db, by default ~/.local/share/opencode/opencode.db (on every OS).</summary>
    public static string DefaultPath(Func<string, string?> getVariable)
        => System.IO.Path.Combine(UserDirectories.Xdg(getVariable, "XDG_DATA_HOME", ".local", "share"), "opencode", "opencode.db");

    /// <summary>Opens the database and checks that it has the tables and columns this reads.</summary>
    /// <exception cref="ImportException">No such file, no system SQLite, not a database, or a layout this does not know.</exception>
    public static OpenCodeDatabase Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new ImportException($"no OpenCode history at {path}, where {KnownVersion} keeps its database: OpenCode has not run as this user, or keeps its data elsewhere (XDG_DATA_HOME, or --database FILE)");
        }

        SystemSqlite? sqlite = null;
        SystemSqlite.SqliteStatement? sessions = null;
        try
        {
            sqlite = SystemSqlite.Open(path, s_tables, s_busyTimeout);
            var layout = OpenCodeLayout.V2;
            try
            {
                sessions = sqlite.Prepare(SessionQueryV2);
            }
            catch (SqliteException ex) when (ex.Message.Contains("no such", StringComparison.Ordinal))
            {
                layout = OpenCodeLayout.V1;
                sessions = sqlite.Prepare(SessionQuery);
            }

            var messages = sqlite.Prepare(layout == OpenCodeLayout.V2 ? MessageQueryV2 : MessageQuery);
            return new OpenCodeDatabase(path, layout, sqlite, sessions, messages);
        }
        catch (SqliteException ex)
        {
            sessions?.Dispose();
            sqlite?.Dispose();
            throw ex.Message.Contains("no such", StringComparison.Ordinal) || ex.Message.Contains("prohibited", StringComparison.Ordinal)
                ? new ImportException($"{path} is not laid out the way {KnownVersion} lays out its database ({ex.Message}); this Periscope reads OpenCode 2's 'session_v2' and 'session_message' tables, or OpenCode 1.18's 'session' and 'message'")
                : new ImportException($"cannot read OpenCode's database {path}: {ex.Message}");
        }
    }

    /// <summary>Every session, whatever its age (a message's session may be older than the messages asked for).</summary>
    public List<StoredSession> Sessions()
    {
        var sessions = new List<StoredSession>();
        Run(_sessions, () =>
        {
            if (_sessions.Text(0) is { Length: > 0 } id)
            {
                var created = _sessions.Int64(5) ?? 0;
                var totals = decimal.TryParse(_sessions.Text(7), NumberStyles.Float, CultureInfo.InvariantCulture, out var cost)
                    ? new StoredTotals(cost, _sessions.Int64(8) ?? 0, _sessions.Int64(9) ?? 0, _sessions.Int64(10) ?? 0, _sessions.Int64(11) ?? 0, _sessions.Int64(12) ?? 0)
                    : null;
                sessions.Add(new StoredSession(id, _sessions.Text(1), _sessions.Text(2), _sessions.Text(3), _sessions.Text(4), created, _sessions.Int64(6) ?? created, totals));
            }
        });
        return sessions;
    }

    /// <summary>Calls <paramref name="visit"/> with each message (OpenCode 2: each assistant message) created at or after <paramref name="sinceMs"/> (epoch ms), in the table's order.</summary>
    public void Messages(long sinceMs, StoredMessageVisitor visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        _messages.Bind(1, sinceMs);
        Run(_messages, () =>
        {
            if (_messages.Text(0) is { Length: > 0 } id && _messages.Text(1) is { Length: > 0 } session)
            {
                visit(id, session, _messages.Utf8Text(2));
            }
        });
    }

    public void Dispose()
    {
        _sessions.Dispose();
        _messages.Dispose();
        _sqlite.Dispose();
    }

    private void Run(SystemSqlite.SqliteStatement statement, Action row)
    {
        try
        {
            while (statement.Step())
            {
                row();
            }
        }
        catch (SqliteException ex)
        {
            throw new ImportException($"cannot read OpenCode's database {Path}: {ex.Message}");
        }
    }
}

/// <summary>What stops an import, in words for the user.</summary>
internal sealed class ImportException : Exception
{
    public ImportException()
    {
    }

    public ImportException(string message)
        : base(message)
    {
    }

    public ImportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
