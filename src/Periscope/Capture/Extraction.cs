using Periscope.Git;
using Periscope.Events;

namespace Periscope.Capture;

/// <summary>
/// What the extractor made of one hook call: an event to spool, or why there is none.
/// <see cref="IsProblem"/> marks input that looked like ours but was unusable (worth a log line).
/// </summary>
internal readonly record struct Extraction(IPeriscopeEvent? Event, string Reason, bool IsProblem, GitTrigger? Git = null)
{
    /// <summary>OpenCode went idle: deliver what is spooled now.</summary>
    public bool DeliverNow { get; init; }

    /// <summary>A session was created: the moment to offer a sign-in that delivery is waiting for.</summary>
    public bool SessionStarted { get; init; }

    public static Extraction Captured(IPeriscopeEvent value, GitTrigger? git = null) => new(value, "captured", false, git);

    public static Extraction GitOnly(string reason, GitTrigger git) => new(null, reason, false, git);

    public static Extraction Ignored(string reason) => new(null, reason, false);

    public static Extraction Rejected(string reason) => new(null, reason, true);
}
