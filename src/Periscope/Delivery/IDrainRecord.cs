using Periscope.Spool;

namespace Periscope.Delivery;

/// <summary>
/// What a drain does with its sink's answers: alone (<see cref="SoleSinkRecord"/>), an accepted
/// event goes to the ledger and leaves the spool; beside other sinks (<see cref="SharedSinkRecord"/>),
/// it leaves the spool once every sink has it.
/// </summary>
internal interface IDrainRecord
{
    /// <summary>True while this sink has yet to take the event.</summary>
    bool IsPending(SpoolEntry entry);

    /// <summary>The sink took these events.</summary>
    void Accepted(IReadOnlyList<SpoolEntry> accepted);

    /// <summary>The sink will never take this event: it is kept in dead/ with the reason.</summary>
    void DeadLettered(SpoolEntry entry, string reason);
}
