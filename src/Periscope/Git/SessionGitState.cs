using System.Text.Json.Serialization;

namespace Periscope.Git;

/// <summary>
/// What commit detection remembers per session (sessions/&lt;id&gt;.json): the HEAD reflog position
/// last seen, and the bash tool-call windows, by OpenCode's own clock (epoch ms).
/// </summary>
internal sealed class SessionGitState
{
    /// <summary>The git directory the position belongs to.</summary>
    [JsonPropertyName("git_dir")]
    public string? GitDirectory { get; set; }

    /// <summary>Length of logs/HEAD in bytes when last read.</summary>
    [JsonPropertyName("reflog_length")]
    public long ReflogLength { get; set; }

    /// <summary>Newest entry then: where its line starts, its new sha and its time (epoch seconds).</summary>
    [JsonPropertyName("reflog_top_offset")]
    public long ReflogTopOffset { get; set; }

    [JsonPropertyName("reflog_top_sha")]
    public string? ReflogTopSha { get; set; }

    [JsonPropertyName("reflog_top_time")]
    public long ReflogTopTime { get; set; }

    /// <summary>Bash tool calls by callID.</summary>
    [JsonPropertyName("tool_windows")]
    public Dictionary<string, ToolWindow> ToolWindows { get; init; } = [];
}

/// <summary>A bash tool call: tool.execute.before and .after times (epoch ms), either may be missing.</summary>
internal sealed class ToolWindow
{
    [JsonPropertyName("start")]
    public long? Start { get; set; }

    [JsonPropertyName("end")]
    public long? End { get; set; }
}

/// <summary>Source-generated metadata for the state files.</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(SessionGitState))]
internal sealed partial class GitStateJsonContext : JsonSerializerContext;
