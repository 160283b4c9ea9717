namespace Periscope.Git;

/// <summary>What git work a hook call asks for.</summary>
internal enum GitTriggerKind
{
    /// <summary>Attach the git context to the event.</summary>
    Context,

    /// <summary>Attach the context and look for commits (a completed assistant message).</summary>
    MessageCompleted,

    /// <summary>A shell tool call (1.18: bash, 2.x: shell) started: remember when.</summary>
    ToolStarted,

    /// <summary>A shell tool call ended: close its window and look for commits.</summary>
    ToolEnded,
}

/// <summary>
/// The facts the git step needs from a hook call: the session, the directory the session works in
/// (null: the process's own), the hook call's time (epoch ms, OpenCode's clock) and the tool call.
/// </summary>
internal sealed record GitTrigger(GitTriggerKind Kind, string SessionId, string? Directory, long Time, string? CallId = null);
