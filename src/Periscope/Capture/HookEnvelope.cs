namespace Periscope.Capture;

/// <summary>
/// What the OpenCode shim sends on stdin: <c>{"hook":"event","event":{...}}</c> for bus events,
/// <c>{"hook":"tool.execute.after","input":{...},"output":{...}}</c> for tool hooks, plus the plugin
/// context's directory and worktree and <c>t</c>, the hook call's epoch-ms time. Recorded hook
/// files carry bus events as <c>input.event</c>; both shapes are read.
/// Only metadata is declared: <c>output</c>, tool <c>args</c>, parts and prompts are never
/// materialised (<see cref="HookEnvelopeReader"/> skips them unread), so content cannot leak
/// through this type.
/// </summary>
internal sealed class HookEnvelope
{
    public string? Hook { get; init; }

    public long? Time { get; init; }

    public string? Directory { get; init; }

    public string? Worktree { get; init; }

    public BusEvent? Event { get; init; }

    public HookInput? Input { get; init; }

    /// <summary>The bus event, whichever shape carried it.</summary>
    public BusEvent? BusEvent => Event ?? Input?.Event;
}

/// <summary>First argument of a hook: ids of a tool call, or a bus event in recorded files.</summary>
internal sealed class HookInput
{
    public string? Tool { get; init; }

    public string? SessionId { get; init; }

    public string? CallId { get; init; }

    public BusEvent? Event { get; init; }
}

/// <summary>An OpenCode bus event: message.updated, session.created, session.updated, ...</summary>
internal sealed class BusEvent
{
    public string? Type { get; init; }

    public BusEventProperties? Properties { get; init; }
}

internal sealed class BusEventProperties
{
    public string? SessionId { get; init; }

    public EventInfo? Info { get; init; }
}

/// <summary>
/// The <c>info</c> of a message or session event; one type for both, since they share most names.
/// Content-bearing members (summary, parts, model options) are deliberately absent.
/// </summary>
internal sealed class EventInfo
{
    public string? Id { get; init; }

    public string? SessionId { get; init; }

    public string? Role { get; init; }

    public string? Mode { get; init; }

    public string? Agent { get; init; }

    public string? ModelId { get; init; }

    public string? ProviderId { get; init; }

    public decimal? Cost { get; init; }

    public TokenCounts? Tokens { get; init; }

    public EventTimes? Time { get; init; }

    public string? Finish { get; init; }

    public MessageError? Error { get; init; }

    /// <summary>{cwd, root} on messages; sessions carry a string here, read as absent.</summary>
    public MessagePath? Path { get; init; }

    public string? Title { get; init; }

    public string? ParentId { get; init; }

    public string? ProjectId { get; init; }

    /// <summary>The session's directory. Used to find its repository; never sent.</summary>
    public string? Directory { get; init; }
}

internal sealed class TokenCounts
{
    public long Input { get; init; }

    public long Output { get; init; }

    public long Reasoning { get; init; }

    public CacheCounts? Cache { get; init; }
}

internal sealed class CacheCounts
{
    public long Read { get; init; }

    public long Write { get; init; }
}

internal sealed class EventTimes
{
    public long? Created { get; init; }

    public long? Completed { get; init; }

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
    public string? Name { get; init; }
}
