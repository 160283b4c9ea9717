namespace Periscope.Capture;

/// <summary>How one hook call ended.</summary>
internal enum CaptureStatus
{
    /// <summary>An event was written to the spool.</summary>
    Written,

    /// <summary>Nothing to capture (a part update, a user message, a streaming update).</summary>
    Ignored,

    /// <summary>The input was unusable or the spool could not be written; logged.</summary>
    Failed,
}

/// <summary>The result of one pass through the capture path, for --verbose and replay.</summary>
internal readonly record struct CaptureOutcome(CaptureStatus Status, string Detail, string? Kind = null, string? EventId = null);
