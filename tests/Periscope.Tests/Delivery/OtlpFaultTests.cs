using System.Text.Json;
using Periscope.Config;
using Periscope.Delivery;
using Periscope.TestIngest;
using Periscope.Tests.Support;

namespace Periscope.Tests.Delivery;

/// <summary>What OTLP's rules make the exporter do with each answer of a receiver (the project's own fault server).</summary>
public sealed class OtlpFaultTests : IAsyncLifetime
{
    private readonly DeliveryHarness _harness = new();
    private IngestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await IngestServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _harness.Dispose();
    }

    [Fact]
    public async Task TooManyRequests_WaitsOutRetryAfter_ThenDelivers_InABoundedNumberOfRequests()
    {
        var ids = FullEvents.Spool(_harness.Home, FullEvents.All());
        _server.EnqueueOtlp(new IngestFault.Status(429, RetryAfter: "4"));
        var clock = new WatchedClock();

        var round = _harness.RunAsync(new DeliveryTarget.Local(), Otlp(), DeliveryHarness.OnTheClock, clock);
        var wait = await clock.NextTimerAsync(DeliveryHarness.IsARetryDelay);

        Assert.Equal(TimeSpan.FromSeconds(4), wait);
        Assert.Single(_server.OtlpRequests);
        clock.Advance(wait);
        var result = await round;

        Assert.Null(result.Stopped);
        Assert.Equal(["/v1/logs", "/v1/logs", "/v1/metrics"], _server.OtlpRequests.Select(r => r.Path));
        Assert.Empty(_harness.SpoolIds());
        Assert.All(ids, id => Assert.Contains(id, _server.OtlpRequests.ElementAt(1).Text, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(503)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task ServerFaults_AreRetried_AndNothingIsLost(int status)
    {
        FullEvents.Spool(_harness.Home, FullEvents.All());
        _server.EnqueueOtlp(new IngestFault.Status(status), new IngestFault.Status(status));

        var result = await _harness.RunAsync(new DeliveryTarget.Local(), Otlp(), DeliveryHarness.Fast);

        Assert.Null(result.Stopped);
        Assert.Equal(4, _server.OtlpRequests.Count); // two faults, the logs, the metrics
        Assert.Empty(_harness.SpoolIds());
        Assert.Equal(3, _harness.LedgerLines());
    }

    [Fact]
    public async Task AReceiverThatStaysDown_StopsTheRound_KeepsEverything_AndBacksOff()
    {
        var ids = FullEvents.Spool(_harness.Home, FullEvents.All());
        _server.EnqueueOtlp(Enumerable.Repeat<IngestFault>(new IngestFault.Status(503), 3).ToArray());

        var result = await _harness.RunAsync(new DeliveryTarget.Local(), Otlp(), DeliveryHarness.Fast);

        Assert.NotNull(result.Stopped);
        Assert.Equal(3, _server.OtlpRequests.Count); // the first try and the two retries of the round
        Assert.Equal(ids.Order(StringComparer.Ordinal), _harness.SpoolIds().Order(StringComparer.Ordinal));
        var state = new DeliveryStateStore(_harness.Paths, "otlp").Load();
        Assert.Equal(1, state.Failures);
        Assert.NotNull(state.NextAttemptAt);
        Assert.Contains("503", state.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADroppedConnection_IsRetried_AndTheRepeatIsTheSameBatch()
    {
        FullEvents.Spool(_harness.Home, FullEvents.All());
        _server.EnqueueOtlp(new IngestFault.ResetMidBody());

        var result = await _harness.RunAsync(new DeliveryTarget.Local(), Otlp(), DeliveryHarness.Fast);

        Assert.Null(result.Stopped);
        Assert.Equal([0, 200, 200], _server.OtlpRequests.Select(r => r.Status));
        Assert.Empty(_harness.SpoolIds());
    }

    [Fact]
    public async Task BadRequest_DeadLettersTheBatch_WithTheReceiversReason_AndIsNotRetried()
    {
        var ids = FullEvents.Spool(_harness.Home, FullEvents.All());
        _server.EnqueueOtlp(new IngestFault.Status(400, Body: """{"code":3,"message":"log record attribute has an unsupported type"}"""));

        var result = await _harness.RunAsync(new DeliveryTarget.Local(), Otlp(OtlpProtocolName.Json), DeliveryHarness.Fast);

        Assert.Null(result.Stopped);
        Assert.Single(_server.OtlpRequests);
        Assert.Empty(_harness.SpoolIds());
        Assert.Equal(ids.Order(StringComparer.Ordinal), _harness.DeadIds());
        Assert.All(ids, id => Assert.Contains("log record attribute has an unsupported type", _harness.DeadReason(id), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(OtlpProtocolName.Protobuf)]
    [InlineData(OtlpProtocolName.Json)]
    public async Task PartialSuccess_DeadLettersExactlyTheRefusedEvent_WithTheReceiversMessage(OtlpProtocolName protocol)
    {
        var events = Enumerable.Range(0, 3).SelectMany(i => FullEvents.All(i)).ToList(); // 9 events
        FullEvents.Spool(_harness.Home, events);
        var refused = events[4].EventId;
        _server.OtlpReject = new HashSet<string> { refused };

        var result = await _harness.RunAsync(new DeliveryTarget.Local(), Otlp(protocol), DeliveryHarness.Fast);

        Assert.Null(result.Stopped);
        Assert.Empty(_harness.SpoolIds());
        Assert.Equal([refused], _harness.DeadIds());
        Assert.Contains("attribute value too long", _harness.DeadReason(refused), StringComparison.Ordinal);
        Assert.Equal(8, _harness.LedgerLines());
        // Halving 9 down to the one refused event: at most 2 requests per level of 4, plus the first.
        Assert.InRange(_server.OtlpRequests.Count(r => r.Path == "/v1/logs"), 2, 9);
    }

    [Fact]
    public async Task Gzip_WhenAsked_CompressesEveryRequest()
    {
        FullEvents.Spool(_harness.Home, FullEvents.All());

        var result = await _harness.RunAsync(new DeliveryTarget.Local(), OtlpExportTests.Otlp(_server.Endpoint, OtlpProtocolName.Protobuf, gzip: true), DeliveryHarness.Fast);

        Assert.Null(result.Stopped);
        Assert.All(_server.OtlpRequests, r => Assert.Equal("gzip", r.ContentEncoding));
        Assert.Contains(FullEvents.All()[0].EventId, _server.OtlpRequests.First().Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AreDeltaSums_OfTheBatch_ByModelProviderRepositoryAndBranch()
    {
        var events = Enumerable.Range(0, 2).SelectMany(i => FullEvents.All(i)).ToList(); // 2 messages, 2 commits
        FullEvents.Spool(_harness.Home, events);

        await _harness.RunAsync(new DeliveryTarget.Local(), Otlp(OtlpProtocolName.Json), DeliveryHarness.Fast);

        using var metrics = JsonDocument.Parse(_server.OtlpRequests.Single(r => r.Path == "/v1/metrics").Body);
        var all = metrics.RootElement.GetProperty("resourceMetrics")[0].GetProperty("scopeMetrics")[0].GetProperty("metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("sum"));
        Assert.Equal(["periscope.commit.count", "periscope.cost.usage", "periscope.message.count", "periscope.token.usage"], all.Keys.Order(StringComparer.Ordinal));
        Assert.All(all.Values, sum => Assert.Equal(1, sum.GetProperty("aggregationTemporality").GetInt32()));
        Assert.All(all.Values, sum => Assert.True(sum.GetProperty("isMonotonic").GetBoolean()));

        long Tokens(string type) => all["periscope.token.usage"].GetProperty("dataPoints").EnumerateArray()
            .Where(p => p.GetProperty("attributes").EnumerateArray().Any(a => a.GetProperty("key").GetString() == "gen_ai.token.type" && a.GetProperty("value").GetProperty("stringValue").GetString() == type))
            .Sum(p => long.Parse(p.GetProperty("asInt").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2 * 1200, Tokens("input"));
        Assert.Equal(2 * 340, Tokens("output"));
        Assert.Equal(2 * 56, Tokens("reasoning"));
        Assert.Equal(2 * 8000, Tokens("cache_read"));
        Assert.Equal(2 * 700, Tokens("cache_creation"));
        var cost = Assert.Single(all["periscope.cost.usage"].GetProperty("dataPoints").EnumerateArray());
        Assert.Equal(2 * 0.01875, cost.GetProperty("asDouble").GetDouble(), precision: 10);
        var attributes = cost.GetProperty("attributes").EnumerateArray().ToDictionary(a => a.GetProperty("key").GetString()!, a => a.GetProperty("value").GetProperty("stringValue").GetString());
        Assert.Equal("claude-sonnet-4.5", attributes["gen_ai.request.model"]);
        Assert.Equal("anthropic", attributes["gen_ai.provider.name"]);
        Assert.Equal("rocket", attributes["vcs.repository.name"]);
        Assert.Equal("main", attributes["vcs.ref.head.name"]);
        var commits = Assert.Single(all["periscope.commit.count"].GetProperty("dataPoints").EnumerateArray());
        Assert.Equal("2", commits.GetProperty("asInt").GetString());
    }

    [Fact]
    public async Task EachExportsMetrics_StartWhereThePreviousEnded_AcrossWorkers()
    {
        FullEvents.Spool(_harness.Home, FullEvents.All(0));
        await _harness.RunAsync(new DeliveryTarget.Local(), Otlp(OtlpProtocolName.Json), DeliveryHarness.Fast);
        FullEvents.Spool(_harness.Home, FullEvents.All(1));
        await _harness.RunAsync(new DeliveryTarget.Local(), Otlp(OtlpProtocolName.Json), DeliveryHarness.Fast); // a new courier, as a new worker has

        var intervals = _server.OtlpRequests.Where(r => r.Path == "/v1/metrics").Select(r =>
        {
            using var metrics = JsonDocument.Parse(r.Body);
            var point = metrics.RootElement.GetProperty("resourceMetrics")[0].GetProperty("scopeMetrics")[0].GetProperty("metrics")[0].GetProperty("sum").GetProperty("dataPoints")[0];
            return (Start: point.GetProperty("startTimeUnixNano").GetString(), End: point.GetProperty("timeUnixNano").GetString());
        }).ToList();

        Assert.Equal(2, intervals.Count);
        Assert.Equal(intervals[0].End, intervals[1].Start);
    }

    private OtlpTarget Otlp(OtlpProtocolName protocol = OtlpProtocolName.Protobuf) => OtlpExportTests.Otlp(_server.Endpoint, protocol);
}
