using Periscope.Platform;

namespace Periscope.Doctor;

/// <summary>
/// Whether OpenCode loaded the plugin, from what OpenCode and the hook left behind, without
/// starting OpenCode: OpenCode 2 logs <c>loading plugin id=…</c> for each plugin it loads and
/// <c>failed to load plugin target=… cause=…</c> when one fails
/// (<c>$XDG_DATA_HOME/opencode/log/</c>); OpenCode 1.18 logs neither at its default level, so
/// there the evidence is the hook's own: the newest event it wrote. <c>opencode plugin list</c>
/// is not asked: in 2.1.2 it starts the machine-wide background service (127.0.0.1:49374) and
/// answers "No plugins found" for plugins listed in a config file.
/// </summary>
internal static class PluginLoadEvidence
{
    private const string Plugin = "opencode-analytics";
    private const int LogsRead = 3;

    /// <summary>The plugin's last load or failure in OpenCode's log.</summary>
    /// <param name="Failed">Whether it was a failure.</param>
    /// <param name="When">The line's timestamp as logged.</param>
    /// <param name="Line">The line, clipped.</param>
    /// <param name="Cause">For a failure, the cause OpenCode logged (its <c>cause="…"</c>), else null.</param>
    /// <param name="File">The log file.</param>
    internal sealed record LogLine(bool Failed, string When, string Line, string File, string? Cause = null);

    /// <summary>The last line of OpenCode's newest logs that says it loaded, or failed to load, the plugin.</summary>
    public static LogLine? FromOpenCodeLog(Func<string, string?> getVariable)
    {
        var directory = Path.Combine(UserDirectories.Xdg(getVariable, "XDG_DATA_HOME", ".local", "share"), "opencode", "log");
        if (!Directory.Exists(directory))
        {
            return null;
        }

        foreach (var file in new DirectoryInfo(directory).GetFiles("*.log").OrderByDescending(f => f.LastWriteTimeUtc).Take(LogsRead))
        {
            try
            {
                if (Last(File.ReadLines(file.FullName), file.FullName) is { } found)
                {
                    return found;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }

        return null;
    }

    /// <summary>The last load or failure of the plugin among the lines, or null.</summary>
    public static LogLine? Last(IEnumerable<string> lines, string file)
    {
        ArgumentNullException.ThrowIfNull(lines);
        LogLine? last = null;
        foreach (var line in lines)
        {
            if (!line.Contains(Plugin, StringComparison.Ordinal))
            {
                continue;
            }

            var failed = line.Contains("failed to load plugin", StringComparison.Ordinal);
            if (failed || line.Contains("loading plugin", StringComparison.Ordinal))
            {
                last = new LogLine(failed, Field(line, "timestamp") ?? "?", Clip(line), file, failed ? Clip(OneLine(Field(line, "cause") ?? line)) : null);
            }
        }

        return last;
    }

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.TrimEntries));

    private static string Clip(string text) => text.Length > 600 ? text[..600] + "…" : text;

    /// <summary>When the hook last wrote an event (the newest spool or ledger file), or null.</summary>
    public static DateTime? LastCapture(StatePaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var newest = (DateTime?)null;
        foreach (var (directory, pattern) in new[] { (paths.Spool, "*.json"), (paths.Ledger, "*.jsonl") })
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (var file in new DirectoryInfo(directory).EnumerateFiles(pattern))
            {
                if (newest is null || file.LastWriteTimeUtc > newest)
                {
                    newest = file.LastWriteTimeUtc;
                }
            }
        }

        return newest;
    }

    // key=value in a logfmt line: up to the next space, or a "quoted value" with its \" and \\ escapes.
    internal static string? Field(string line, string key)
    {
        var at = line.StartsWith(key + "=", StringComparison.Ordinal) ? 0
            : line.IndexOf(" " + key + "=", StringComparison.Ordinal) is var space and >= 0 ? space + 1 : -1;
        if (at < 0)
        {
            return null;
        }

        var start = at + key.Length + 1;
        if (start >= line.Length || line[start] != '"')
        {
            var end = line.IndexOf(' ', start);
            return end < 0 ? line[start..] : line[start..end];
        }

        var value = new System.Text.StringBuilder();
        for (var i = start + 1; i < line.Length; i++)
        {
            if (line[i] == '"')
            {
                return value.ToString();
            }

            if (line[i] == '\\' && i + 1 < line.Length)
            {
                i++;
                value.Append(line[i] == 'n' ? '\n' : line[i]);
                continue;
            }

            value.Append(line[i]);
        }

        return value.ToString();
    }
}
