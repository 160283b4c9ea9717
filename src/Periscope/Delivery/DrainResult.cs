namespace Periscope.Delivery;

/// <summary>What one drain did, and why it stopped early when it did.</summary>
/// <param name="Delivered">Events the sink accepted (and the ledger recorded).</param>
/// <param name="DeadLettered">Events moved to dead/: refused by the ingest, or files that were not events.</param>
/// <param name="Stopped">Why events remain: the sink was unavailable. Null when the spool was drained.</param>
internal sealed record DrainResult(int Delivered, long DeliveredBytes, int DeadLettered, SinkResult.Unavailable? Stopped)
{
    public static DrainResult Empty { get; } = new(0, 0, 0, null);
}

/// <summary>Running totals a drain reports after each batch.</summary>
internal readonly record struct DrainProgress(int Events, long Bytes, int DeadLettered);
