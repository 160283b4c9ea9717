namespace Periscope.Capture;

/// <summary>How one hook call ended.</summary>
internal enum CaptureStatus
{
    /// <summary>One or more events were written to the spool.</summary>
    Written,

    /// <summary>Nothing to capture (a part update, a user message, a streaming update, a tool start).</summary>
    Ignored,

    /// <summary>The input was unusable or the spool could not be written; logged.</summary>
    Failed,
}

/// <summary>The result of one pass through the capture path, for --verbose and replay.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Detail">What happened, in words for the log or --verbose.</param>
/// <param name="EventIds">The events written to the spool.</param>
/// <param name="Warning">A problem that did not stop the capture (git unavailable); logged.</param>
internal sealed record CaptureOutcome(CaptureStatus Status, string Detail, IReadOnlyList<string> EventIds, string? Warning = null)
{
    /// <summary>Whether the worker should run now: something was spooled, or OpenCode went idle.</summary>
    public bool WantsDelivery { get; init; }

    /// <summary>Whether a session was created (see <see cref="Extraction.SessionStarted"/>).</summary>
    public bool SessionStarted { get; init; }

    public static CaptureOutcome Failed(string detail) => new(CaptureStatus.Failed, detail, []);

    public static CaptureOutcome Ignored(string detail, string? warning = null) => new(CaptureStatus.Ignored, detail, [], warning);
}
