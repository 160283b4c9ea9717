using Periscope.Spool;

namespace Periscope.Delivery;

/// <summary>Where a drain sends the spool's events: the ingest, or nothing beyond the ledger in local mode.</summary>
internal interface IEventSink
{
    /// <summary>local or remote, as status says.</summary>
    string Mode { get; }

    Task<SinkResult> SendAsync(IReadOnlyList<SpoolEntry> events, CancellationToken cancellationToken);
}

/// <summary>Local mode: every event is delivered to the ledger alone.</summary>
internal sealed class LocalSink : IEventSink
{
    private static readonly Task<SinkResult> s_accepted = Task.FromResult<SinkResult>(new SinkResult.Accepted([]));

    public string Mode => "local";

    public Task<SinkResult> SendAsync(IReadOnlyList<SpoolEntry> events, CancellationToken cancellationToken) => s_accepted;
}
