using Periscope.Events;

namespace Periscope.Spool;

/// <summary>One valid event in the spool: its file, as it was when listed, and its JSON on one line.</summary>
internal sealed record SpoolEntry(SpoolFile File, IPeriscopeEvent Event, byte[] Json)
{
    public string EventId => Event.EventId;
}

/// <summary>Events read for one request, and how many corrupt files were quarantined on the way.</summary>
internal sealed record SpoolBatch(IReadOnlyList<SpoolEntry> Entries, int Quarantined)
{
    /// <summary>The bytes of the events' JSON.</summary>
    public long Bytes => Entries.Sum(e => (long)e.Json.Length);
}

/// <summary>What enforcing the spool's limits dropped.</summary>
internal readonly record struct SpoolTrim(int Expired, int Full);
