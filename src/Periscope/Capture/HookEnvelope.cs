using System.Text.Json.Serialization;

namespace Periscope.Capture;

/// <summary>
/// What the OpenCode shim sends on stdin: <c>{"hook":"event","event":{...}}</c> for bus events,
/// <c>{"hook":"tool.execute.after","input":{...},"output":{...}}</c> for tool hooks, plus the plugin
/// context's directory and worktree and <c>t</c>, the hook call's epoch-ms time. Recorded hook
/// files carry bus events as <c>input.event</c>; both shapes are read.
/// Only metadata is declared: <c>output</c>, tool <c>args</c>, parts and prompts are never
/// materialised, so content cannot leak through this type.
/// </summary>
internal sealed class HookEnvelope
{
    [JsonPropertyName("hook")]
    public string? Hook { get; init; }

    [JsonPropertyName("t")]
    public long? Time { get; init; }

    [JsonPropertyName("directory")]
    public string? Directory { get; init; }

    [JsonPropertyName("worktree")]
    public string? Worktree { get; init; }

    [JsonPropertyName("event")]
    public BusEvent? Event { get; init; }

    [JsonPropertyName("input")]
    public HookInput? Input { get; init; }

    /// <summary>The bus event, whichever shape carried it.</summary>
    public BusEvent? BusEvent => Event ?? Input?.Event;
}

/// <summary>First argument of a hook: ids of a tool call, or a bus event in recorded files.</summary>
internal sealed class HookInput
{
    [JsonPropertyName("tool")]
    public string? Tool { get; init; }

    [JsonPropertyName("sessionID")]
    public string? SessionId { get; init; }

    [JsonPropertyName("callID")]
    public string? CallId { get; init; }

    [JsonPropertyName("event")]
    public BusEvent? Event { get; init; }
}

/// <summary>An OpenCode bus event: message.updated, session.created, session.updated, ...</summary>
internal sealed class BusEvent
{
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("properties")]
    public BusEventProperties? Properties { get; init; }
}

internal sealed class BusEventProperties
{
    [JsonPropertyName("sessionID")]
    public string? SessionId { get; init; }

    [JsonPropertyName("info")]
    public EventInfo? Info { get; init; }
}

/// <summary>
/// The <c>info</c> of a message or session event; one type for both, since they share most names.
/// Content-bearing members (summary, parts, model options) are deliberately absent.
/// </summary>
internal sealed class EventInfo
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("sessionID")]
    public string? SessionId { get; init; }

    [JsonPropertyName("role")]
    public string? Role { get; init; }

    [JsonPropertyName("mode")]
    public string? Mode { get; init; }

    [JsonPropertyName("agent")]
    public string? Agent { get; init; }

    [JsonPropertyName("modelID")]
    public string? ModelId { get; init; }

    [JsonPropertyName("providerID")]
    public string? ProviderId { get; init; }

    [JsonPropertyName("cost")]
    public decimal? Cost { get; init; }

    [JsonPropertyName("tokens")]
    public TokenCounts? Tokens { get; init; }

    [JsonPropertyName("time")]
    public EventTimes? Time { get; init; }

    [JsonPropertyName("finish")]
    public string? Finish { get; init; }

    [JsonPropertyName("error")]
    public MessageError? Error { get; init; }

    /// <summary>{cwd, root} on messages; sessions carry a string here, read as absent.</summary>
    [JsonPropertyName("path")]
    [JsonConverter(typeof(MessagePathConverter))]
    public MessagePath? Path { get; init; }

    [JsonPropertyName("title")]
    public string? Title { get; init; }

    [JsonPropertyName("parentID")]
    public string? ParentId { get; init; }

    [JsonPropertyName("projectID")]
    public string? ProjectId { get; init; }

    /// <summary>The session's directory. Used to find its repository; never sent.</summary>
    [JsonPropertyName("directory")]
    public string? Directory { get; init; }
}

internal sealed class TokenCounts
{
    [JsonPropertyName("input")]
    public long Input { get; init; }

    [JsonPropertyName("output")]
    public long Output { get; init; }

    [JsonPropertyName("reasoning")]
    public long Reasoning { get; init; }

    [JsonPropertyName("cache")]
    public CacheCounts? Cache { get; init; }
}

internal sealed class CacheCounts
{
    [JsonPropertyName("read")]
    public long Read { get; init; }

    [JsonPropertyName("write")]
    public long Write { get; init; }
}

internal sealed class EventTimes
{
    [JsonPropertyName("created")]
    public long? Created { get; init; }

    [JsonPropertyName("completed")]
    public long? Completed { get; init; }

    [JsonPropertyName("updated")]
    public long? Updated { get; init; }
}

/// <summary>The directory a message ran in. Kept in memory to find the repository; never sent.</summary>
internal sealed class MessagePath
{
    public string? Cwd { get; init; }

    public string? Root { get; init; }
}

/// <summary>Only the error's name is kept; its message may quote content.</summary>
internal sealed class MessageError
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }
}
