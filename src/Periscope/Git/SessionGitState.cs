namespace Periscope.Git;

/// <summary>
/// What commit detection remembers per session (sessions/&lt;id&gt;.json): the HEAD reflog position
/// last seen, and the bash tool-call windows, by OpenCode's own clock (epoch ms). Read and written
/// by <see cref="SessionGitStateJson"/>: git_dir, reflog_length, reflog_top_offset,
/// reflog_top_sha, reflog_top_time, tool_windows {callID: {start, end}}.
/// </summary>
internal sealed class SessionGitState
{
    /// <summary>The git directory the position belongs to.</summary>
    public string? GitDirectory { get; set; }

    /// <summary>Length of logs/HEAD in bytes when last read.</summary>
    public long ReflogLength { get; set; }

    /// <summary>Newest entry then: where its line starts, its new sha and its time (epoch seconds).</summary>
    public long ReflogTopOffset { get; set; }

    public string? ReflogTopSha { get; set; }

    public long ReflogTopTime { get; set; }

    /// <summary>Bash tool calls by callID.</summary>
    public Dictionary<string, ToolWindow> ToolWindows { get; init; } = [];
}

/// <summary>A bash tool call: tool.execute.before and .after times (epoch ms), either may be missing.</summary>
internal sealed class ToolWindow
{
    public long? Start { get; set; }

    public long? End { get; set; }
}
