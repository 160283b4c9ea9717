namespace Periscope.Delivery;

/// <summary>
/// One sink and what delivery remembers of it: its back-off, last success and problem, in its own
/// state file (status.json for the ingest or local mode, status-otlp.json for an OTLP receiver).
/// </summary>
internal sealed class DeliveryLane(string name, IEventSink sink, DeliveryStateStore store, DeliveryState state)
{
    /// <summary>local, ingest or otlp: the name of its acks/ and dead/ folders when it shares the spool.</summary>
    public string Name { get; } = name;

    public IEventSink Sink { get; } = sink;

    public DeliveryStateStore Store { get; } = store;

    public DeliveryState State { get; set; } = state;
}
