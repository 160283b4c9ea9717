using System.Text;
using Periscope.Config;
using Periscope.Spool;
using Periscope.Tests.Support;

namespace Periscope.Tests.Delivery;

/// <summary>The spool's limits: oldest dropped first, drops counted in status.json; corrupt files quarantined.</summary>
public sealed class SpoolLimitTests : IDisposable
{
    private readonly DeliveryHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void OverTheEventLimit_TheOldestAreDropped()
    {
        var ids = SpooledEvents.Write(_harness.Home, 30);

        var trim = new SpoolReader(_harness.Paths).Trim(SpoolLimits.Default with { MaxEvents = 20 }, DateTimeOffset.UtcNow);

        Assert.Equal(new SpoolTrim(0, 10), trim);
        Assert.Equal(ids.Skip(10).Order(StringComparer.Ordinal), _harness.SpoolIds());
    }

    [Fact]
    public void OverTheByteLimit_TheOldestAreDropped()
    {
        SpooledEvents.Write(_harness.Home, 30);
        var size = new FileInfo(StateDirectory.SpoolFiles(_harness.Home)[0]).Length;

        var trim = new SpoolReader(_harness.Paths).Trim(SpoolLimits.Default with { MaxBytes = size * 5 }, DateTimeOffset.UtcNow);

        Assert.Equal(25, trim.Full);
        Assert.Equal(5, _harness.SpoolIds().Count);
    }

    [Fact]
    public void OlderThanTheAgeLimit_IsDropped_EvenWithRoom()
    {
        var ids = SpooledEvents.Write(_harness.Home, 4);
        File.SetLastWriteTimeUtc(Path.Combine(_harness.Home, "spool", ids[0] + ".json"), DateTime.UtcNow.AddDays(-31));

        var trim = new SpoolReader(_harness.Paths).Trim(SpoolLimits.Default, DateTimeOffset.UtcNow);

        Assert.Equal(new SpoolTrim(1, 0), trim);
        Assert.Equal(ids.Skip(1).Order(StringComparer.Ordinal), _harness.SpoolIds());
    }

    [Fact]
    public async Task Drops_AreCountedInStatus_AndTheRestDelivered()
    {
        SpooledEvents.Write(_harness.Home, 30);
        using var courier = _harness.Courier(new DeliveryTarget.Local(), limits: SpoolLimits.Default with { MaxEvents = 20 });

        var result = await courier.RunAsync(null, CancellationToken.None);

        Assert.Equal(20, result.Delivered);
        Assert.Equal(10, _harness.State().DroppedFull);
        Assert.Contains(StateDirectory.LogLines(_harness.Home), l => l.Contains("dropped 0 events older than 30 days and 10 oldest", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CorruptSpoolFile_IsQuarantined_AndNeverBlocksTheQueue()
    {
        var ids = SpooledEvents.Write(_harness.Home, 3);
        File.WriteAllText(Path.Combine(_harness.Home, "spool", "0000corrupt.json"), "{\"kind\":");
        File.SetLastWriteTimeUtc(Path.Combine(_harness.Home, "spool", "0000corrupt.json"), DateTime.UtcNow.AddHours(-1));
        using var courier = _harness.Courier(new DeliveryTarget.Local());

        var result = await courier.RunAsync(null, CancellationToken.None);

        Assert.Equal(3, result.Delivered);
        Assert.Equal(1, result.DeadLettered);
        Assert.Equal(["0000corrupt"], _harness.DeadIds());
        Assert.Contains("not a valid event", _harness.DeadReason("0000corrupt"), StringComparison.Ordinal);
    }

    [Fact]
    public void Batches_KeepUnderTheByteLimit()
    {
        SpooledEvents.Write(_harness.Home, 100);
        var size = new FileInfo(StateDirectory.SpoolFiles(_harness.Home)[0]).Length;

        var limit = (size * 10) + 20;

        var batches = new SpoolReader(_harness.Paths).Batches(500, limit).ToList();

        // The request body as docs/ingest-api.md defines it, measured here rather than taken from the reader.
        static long Body(IEnumerable<SpoolEntry> entries) => Encoding.UTF8.GetByteCount("{\"events\":[" + string.Join(",", entries.Select(e => Encoding.UTF8.GetString(e.Json))) + "]}");
        Assert.All(batches, b => Assert.True(Body(b.Entries) <= limit, $"a batch of {Body(b.Entries)} bytes, over {limit}"));
        Assert.Equal(100, batches.Sum(b => b.Entries.Count));
        // Packed: each batch but the last is full, so one more event would have passed the limit.
        for (var i = 0; i < batches.Count - 1; i++)
        {
            Assert.True(Body(batches[i].Entries.Append(batches[i + 1].Entries[0])) > limit, $"batch {i} had room for another event");
        }
    }
}
