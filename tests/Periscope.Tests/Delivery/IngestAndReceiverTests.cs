using Periscope.TestIngest;

namespace Periscope.Tests.Delivery;

/// <summary>Tests with two sinks at once: the ingest and an OTLP receiver, each a test server of its own, over one state directory.</summary>
public abstract class IngestAndReceiverTests : IAsyncLifetime
{
    private protected DeliveryHarness Harness { get; } = new();

    private protected IngestServer Ingest { get; private set; } = null!;

    private protected IngestServer Receiver { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Ingest = await IngestServer.StartAsync();
        Receiver = await IngestServer.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Ingest.DisposeAsync();
        await Receiver.DisposeAsync();
        Harness.Dispose();
        GC.SuppressFinalize(this);
    }
}
