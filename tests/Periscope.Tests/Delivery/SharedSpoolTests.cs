using Periscope.Config;
using Periscope.Delivery;
using Periscope.TestIngest;
using Periscope.Tests.Support;

namespace Periscope.Tests.Delivery;

/// <summary>The ingest and an OTLP receiver at once: an event leaves the spool only when both have it; each keeps its own back-off and dead letters.</summary>
public sealed class SharedSpoolTests : IngestAndReceiverTests
{
    [Fact]
    public async Task WhileTheReceiverIsDown_TheIngestGetsEverything_AndTheSpoolKeepsItForTheReceiver()
    {
        var ids = FullEvents.Spool(Harness.Home, FullEvents.All());
        Receiver.EnqueueOtlp(new IngestFault.Status(503, RetryAfter: "120"));

        var first = await Run();

        Assert.NotNull(first.Stopped);
        Assert.Equal(ids.Order(StringComparer.Ordinal), Ingest.Stored.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Order(StringComparer.Ordinal), Harness.SpoolIds().Order(StringComparer.Ordinal)); // the receiver has none yet
        Assert.Equal(0, Harness.LedgerLines());
        Assert.Null(Harness.State().LastError); // the ingest's own status: fine
        var receiver = new DeliveryStateStore(Harness.Paths, "otlp").Load();
        Assert.Equal(1, receiver.Failures);
        Assert.Contains("503", receiver.LastError, StringComparison.Ordinal);

        var second = await Run();

        Assert.Null(second.Stopped);
        Assert.Empty(Harness.SpoolIds());
        Assert.Equal(3, Harness.LedgerLines()); // each once
        Assert.Equal(3, Ingest.Received.Count); // the ingest was not sent them again
        Assert.All(ids, id => Assert.Contains(id, Receiver.OtlpRequests.Last(r => r.Path == "/v1/logs").Text, StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(Path.Combine(Harness.Home, "acks"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task WithTheWorkersBackoff_ADownReceiverIsSkipped_AndTheIngestStillDelivers()
    {
        FullEvents.Spool(Harness.Home, FullEvents.All());
        Receiver.EnqueueOtlp(new IngestFault.Status(503, RetryAfter: "120"));
        await Run();
        var later = FullEvents.Spool(Harness.Home, FullEvents.All(1));
        var receiverRequests = Receiver.OtlpRequests.Count;

        using var courier = Harness.Courier(new DeliveryTarget.Remote(Ingest.Endpoint, null), otlp: Otlp());
        var result = await courier.RunAsync(null, CancellationToken.None, respectBackoff: true);

        Assert.NotNull(result.Stopped);
        Assert.Equal(receiverRequests, Receiver.OtlpRequests.Count); // backing off: not called
        Assert.All(later, id => Assert.True(Ingest.Stored.ContainsKey(id)));
        Assert.Equal(6, Harness.SpoolIds().Count);
    }

    [Fact]
    public async Task AnEventTheIngestRefuses_IsDeadLetteredForTheIngestAlone_AndStillReachesTheReceiverAndTheLedger()
    {
        var events = FullEvents.All();
        FullEvents.Spool(Harness.Home, events);
        var refused = events[1].EventId;
        Ingest.Reject = id => id == refused ? "session title too long" : null;

        var result = await Run();

        Assert.Null(result.Stopped);
        Assert.Empty(Harness.SpoolIds());
        Assert.Equal(3, Harness.LedgerLines());
        Assert.True(File.Exists(Path.Combine(Harness.Home, "dead", "ingest", refused + ".json")));
        Assert.Contains("session title too long", File.ReadAllText(Path.Combine(Harness.Home, "dead", "ingest", refused + ".json.reason.txt")), StringComparison.Ordinal);
        Assert.Contains(refused, Receiver.OtlpRequests.First(r => r.Path == "/v1/logs").Text, StringComparison.Ordinal);
    }

    private OtlpTarget Otlp() => OtlpExportTests.Otlp(Receiver.Endpoint, OtlpProtocolName.Protobuf);

    private async Task<DrainResult> Run() => await Harness.RunAsync(new DeliveryTarget.Remote(Ingest.Endpoint, null), Otlp(), DeliveryHarness.Fast with { MaxRetryAttempts = 0 });
}
