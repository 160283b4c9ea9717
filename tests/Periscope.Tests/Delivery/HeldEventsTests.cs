using Periscope.Config;
using Periscope.Delivery;
using Periscope.TestIngest;
using Periscope.Tests.Support;

namespace Periscope.Tests.Delivery;

/// <summary>
/// Events held in memory (import's way) through the same sinks as the spool: every sink's event
/// straight to the ledger, what a sink cannot take now into the spool for the worker, refusals
/// into dead/ with the reason.
/// </summary>
public sealed class HeldEventsTests : IngestAndReceiverTests
{
    [Fact]
    public async Task BothSinksTakeThem_TheLedgerHasEachOnce_AndNoSpoolFileIsWritten()
    {
        var events = FullEvents.All();
        using var courier = Courier();

        var (result, spooled) = await courier.DeliverAsync(Held(events), CancellationToken.None);

        Assert.Null(result.Stopped);
        Assert.Equal((3, 0), (result.Delivered, spooled));
        Assert.Equal(events.Select(e => e.EventId).Order(StringComparer.Ordinal), Ingest.Stored.Keys.Order(StringComparer.Ordinal));
        Assert.All(events, e => Assert.Contains(e.EventId, Receiver.OtlpRequests.Last(r => r.Path == "/v1/logs").Text, StringComparison.Ordinal));
        Assert.Equal(3, Harness.LedgerLines());
        Assert.Empty(Harness.SpoolIds());
        Assert.False(Directory.Exists(Path.Combine(Harness.Home, "acks")));
    }

    [Fact]
    public async Task WhileTheReceiverIsDown_TheyWaitInTheSpool_AndTheWorkersRoundDeliversThemThere()
    {
        var events = FullEvents.All();
        Receiver.EnqueueOtlp(new IngestFault.Status(503, RetryAfter: "120"));
        using (var courier = Courier())
        {
            var (result, spooled) = await courier.DeliverAsync(Held(events), CancellationToken.None);

            Assert.NotNull(result.Stopped);
            Assert.Equal((0, 3), (result.Delivered, spooled));
            Assert.Equal(3, Ingest.Stored.Count);
            Assert.Equal(0, Harness.LedgerLines());
            Assert.Equal(events.Select(e => e.EventId).Order(StringComparer.Ordinal), Harness.SpoolIds().Order(StringComparer.Ordinal));

            // The same courier asks a stopped sink no more: the next events go to the spool for it too.
            var more = FullEvents.All(1);
            var requests = Receiver.OtlpRequests.Count;
            var (next, nextSpooled) = await courier.DeliverAsync(Held(more), CancellationToken.None);
            Assert.NotNull(next.Stopped);
            Assert.Equal(3, nextSpooled);
            Assert.Equal(requests, Receiver.OtlpRequests.Count);
        }

        using var worker = Courier();
        var round = await worker.RunAsync(null, CancellationToken.None);

        Assert.Null(round.Stopped);
        Assert.Empty(Harness.SpoolIds());
        Assert.Equal(6, Harness.LedgerLines());
        Assert.Equal(6, Ingest.Stored.Count); // sent twice, kept once: the ingest dedupes on event_id
    }

    [Fact]
    public async Task AnEventTheIngestRefuses_IsDeadLetteredForTheIngest_AndStillReachesTheReceiverAndTheLedger()
    {
        var events = FullEvents.All();
        var refused = events[1].EventId;
        Ingest.Reject = id => id == refused ? "session title too long" : null;
        using var courier = Courier();

        var (result, spooled) = await courier.DeliverAsync(Held(events), CancellationToken.None);

        Assert.Null(result.Stopped);
        Assert.Equal((3, 1, 0), (result.Delivered, result.DeadLettered, spooled));
        Assert.Contains("session title too long", File.ReadAllText(Path.Combine(Harness.Home, "dead", "ingest", refused + ".json.reason.txt")), StringComparison.Ordinal);
        Assert.Contains(refused, File.ReadAllText(Path.Combine(Harness.Home, "dead", "ingest", refused + ".json")), StringComparison.Ordinal);
        Assert.Equal(3, Harness.LedgerLines());
    }

    [Fact]
    public async Task ASoleSinksRefusal_GoesToDead_AndNotToTheLedger()
    {
        var events = FullEvents.All();
        var refused = events[0].EventId;
        Ingest.Reject = id => id == refused ? "unknown model" : null;
        using var courier = Harness.Courier(Ingest.Endpoint);

        var (result, spooled) = await courier.DeliverAsync(Held(events), CancellationToken.None);

        Assert.Equal((2, 1, 0), (result.Delivered, result.DeadLettered, spooled));
        Assert.Equal([refused], Harness.DeadIds());
        Assert.Contains("unknown model", Harness.DeadReason(refused), StringComparison.Ordinal);
        Assert.Equal(2, Harness.LedgerLines());
        Assert.Equal(2, Harness.State().Delivered);
    }

    private HeldEvents Held(IEnumerable<Periscope.Events.IPeriscopeEvent> events) => new(Harness.Paths, events, DateTime.UtcNow);

    private Courier Courier()
        => Harness.Courier(new DeliveryTarget.Remote(Ingest.Endpoint, null), DeliveryHarness.Fast with { MaxRetryAttempts = 0 }, otlp: OtlpExportTests.Otlp(Receiver.Endpoint, OtlpProtocolName.Protobuf));
}
