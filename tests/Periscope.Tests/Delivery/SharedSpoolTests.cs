using Periscope.Config;
using Periscope.Delivery;
using Periscope.TestIngest;
using Periscope.Tests.Support;

namespace Periscope.Tests.Delivery;

/// <summary>The ingest and an OTLP receiver at once: an event leaves the spool only when both have it; each keeps its own back-off and dead letters.</summary>
public sealed class SharedSpoolTests : IAsyncLifetime
{
    private readonly DeliveryHarness _harness = new();
    private IngestServer _ingest = null!;
    private IngestServer _receiver = null!;

    public async ValueTask InitializeAsync()
    {
        _ingest = await IngestServer.StartAsync();
        _receiver = await IngestServer.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _ingest.DisposeAsync();
        await _receiver.DisposeAsync();
        _harness.Dispose();
    }

    [Fact]
    public async Task WhileTheReceiverIsDown_TheIngestGetsEverything_AndTheSpoolKeepsItForTheReceiver()
    {
        var ids = FullEvents.Spool(_harness.Home, FullEvents.All());
        _receiver.EnqueueOtlp(new IngestFault.Status(503, RetryAfter: "120"));

        var first = await Run();

        Assert.NotNull(first.Stopped);
        Assert.Equal(ids.Order(StringComparer.Ordinal), _ingest.Stored.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Order(StringComparer.Ordinal), _harness.SpoolIds().Order(StringComparer.Ordinal)); // the receiver has none yet
        Assert.Equal(0, _harness.LedgerLines());
        Assert.Null(_harness.State().LastError); // the ingest's own status: fine
        var receiver = new DeliveryStateStore(_harness.Paths, "otlp").Load();
        Assert.Equal(1, receiver.Failures);
        Assert.Contains("503", receiver.LastError, StringComparison.Ordinal);

        var second = await Run();

        Assert.Null(second.Stopped);
        Assert.Empty(_harness.SpoolIds());
        Assert.Equal(3, _harness.LedgerLines()); // each once
        Assert.Equal(3, _ingest.Received.Count); // the ingest was not sent them again
        Assert.All(ids, id => Assert.Contains(id, _receiver.OtlpRequests.Last(r => r.Path == "/v1/logs").Text, StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(Path.Combine(_harness.Home, "acks"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task WithTheWorkersBackoff_ADownReceiverIsSkipped_AndTheIngestStillDelivers()
    {
        FullEvents.Spool(_harness.Home, FullEvents.All());
        _receiver.EnqueueOtlp(new IngestFault.Status(503, RetryAfter: "120"));
        await Run();
        var later = FullEvents.Spool(_harness.Home, FullEvents.All(1));
        var receiverRequests = _receiver.OtlpRequests.Count;

        using var courier = _harness.Courier(new DeliveryTarget.Remote(_ingest.Endpoint, null), otlp: Otlp());
        var result = await courier.RunAsync(null, CancellationToken.None, respectBackoff: true);

        Assert.NotNull(result.Stopped);
        Assert.Equal(receiverRequests, _receiver.OtlpRequests.Count); // backing off: not called
        Assert.All(later, id => Assert.True(_ingest.Stored.ContainsKey(id)));
        Assert.Equal(6, _harness.SpoolIds().Count);
    }

    [Fact]
    public async Task AnEventTheIngestRefuses_IsDeadLetteredForTheIngestAlone_AndStillReachesTheReceiverAndTheLedger()
    {
        var events = FullEvents.All();
        FullEvents.Spool(_harness.Home, events);
        var refused = events[1].EventId;
        _ingest.Reject = id => id == refused ? "session title too long" : null;

        var result = await Run();

        Assert.Null(result.Stopped);
        Assert.Empty(_harness.SpoolIds());
        Assert.Equal(3, _harness.LedgerLines());
        Assert.True(File.Exists(Path.Combine(_harness.Home, "dead", "ingest", refused + ".json")));
        Assert.Contains("session title too long", File.ReadAllText(Path.Combine(_harness.Home, "dead", "ingest", refused + ".json.reason.txt")), StringComparison.Ordinal);
        Assert.Contains(refused, _receiver.OtlpRequests.First(r => r.Path == "/v1/logs").Text, StringComparison.Ordinal);
    }

    private OtlpTarget Otlp() => OtlpExportTests.Otlp(_receiver.Endpoint, OtlpProtocolName.Protobuf);

    private async Task<DrainResult> Run() => await _harness.RunAsync(new DeliveryTarget.Remote(_ingest.Endpoint, null), Otlp(), DeliveryHarness.Fast with { MaxRetryAttempts = 0 });
}
