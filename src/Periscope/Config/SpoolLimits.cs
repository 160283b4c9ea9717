namespace Periscope.Config;

/// <summary>
/// How much the spool keeps while events cannot be delivered. When a limit is passed the oldest
/// events are dropped first, and the drops are counted in status.
/// </summary>
internal sealed record SpoolLimits
{
    /// <summary>Default 100,000 events.</summary>
    public int MaxEvents { get; init; } = 100_000;

    /// <summary>Default 200 MB.</summary>
    public long MaxBytes { get; init; } = 200L * 1024 * 1024;

    /// <summary>Default 30 days: an older event is dropped even when there is room.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(30);

    public static SpoolLimits Default { get; } = new();
}
