using Periscope.Config;
using Periscope.Delivery;
using Periscope.Tests.Support;

namespace Periscope.Tests.Delivery;

/// <summary>OTLP export to a real receiver (the Aspire Dashboard), read back from its API.</summary>
public sealed class OtlpExportTests : IDisposable
{
    private readonly DeliveryHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Theory]
    [InlineData(OtlpProtocolName.Protobuf)]
    [InlineData(OtlpProtocolName.Json)]
    public async Task EveryEventKind_ArrivesAsALogRecord_WithEveryMappedAttribute(OtlpProtocolName protocol)
    {
        await using var dashboard = await AspireDashboard.StartAsync();
        var events = FullEvents.All().Append(FullEvents.SessionTotals()).ToList();
        FullEvents.Spool(_harness.Home, events);

        var result = await _harness.RunAsync(new DeliveryTarget.Local(), Otlp(dashboard.OtlpEndpoint, protocol));

        Assert.Null(result.Stopped);
        Assert.Empty(_harness.SpoolIds());
        Assert.Equal(4, _harness.LedgerLines());
        var logs = await dashboard.LogsAsync();
        Assert.Equal(4, logs.Count);
        foreach (var e in events)
        {
            var log = Assert.Single(logs, l => l.Attributes.GetValueOrDefault("periscope.event_id") == e.EventId);
            Assert.Equal("periscope." + e.Kind, log.EventName);
            Assert.Equal(((ulong)(e.OccurredAt - DateTimeOffset.UnixEpoch).Ticks * 100).ToString(System.Globalization.CultureInfo.InvariantCulture), log.TimeUnixNano);
            foreach (var (key, value) in FullEvents.ExpectedAttributes(e))
            {
                Assert.True(log.Attributes.TryGetValue(key, out var actual), $"{e.Kind}: {key} is missing in {log.Json}");
                Assert.True(value == actual || (key == "gen_ai.response.finish_reasons" && actual.Contains(value, StringComparison.Ordinal)), $"{e.Kind}: {key} is '{actual}', expected '{value}'");
            }

            Assert.Equal("periscope", log.Resource["service.name"]);
            Assert.Equal("0.1.0", log.Resource["service.version"]);
            Assert.Equal("linux", log.Resource["os.type"]);
            Assert.Equal("x64", log.Resource["host.arch"]);
        }

        // The metrics went too, and the receiver took them: a refusal would be the receiver's last error.
        var exported = new DeliveryStateStore(_harness.Paths, "otlp").Load();
        Assert.Null(exported.LastError);
        Assert.Equal(4, exported.Delivered);

        var message = Assert.Single(logs, l => l.EventName == "periscope.assistant_message");
        Assert.Equal("9900", message.Attributes["gen_ai.usage.input_tokens"]); // 1200 + 8000 cached + 700 written to the cache
        Assert.Equal("claude-sonnet-4.5", message.Attributes["gen_ai.request.model"]);
        Assert.Equal("ses_otlp", message.Attributes["gen_ai.conversation.id"]);
        Assert.Equal("https://github.com/acme/rocket.git", message.Attributes["vcs.repository.url.full"]);

        var totals = Assert.Single(logs, l => l.EventName == "periscope.session_usage");
        Assert.Equal("1500", totals.Attributes["periscope.session.tokens.input"]);
        Assert.Equal("0.019", totals.Attributes["periscope.session.cost.usd"]);
        Assert.Equal("ses_otlp", totals.Attributes["gen_ai.conversation.id"]);
        Assert.Equal("session ses_otlp so far: 10200 input, 345 output tokens, 0.019 USD", totals.Body);
    }

    [Fact]
    public async Task TheRightApiKey_IsAccepted_AndAWrongOne_IsRefused_AndSaidSo_KeepingEveryEvent()
    {
        await using var dashboard = await AspireDashboard.StartAsync(apiKey: "right-key");
        var ids = FullEvents.Spool(_harness.Home, FullEvents.All());

        var wrong = await _harness.RunAsync(new DeliveryTarget.Local(), Otlp(dashboard.OtlpEndpoint, OtlpProtocolName.Protobuf, ("x-otlp-api-key", "wrong-key")));

        Assert.NotNull(wrong.Stopped);
        Assert.Contains("refused the credentials (401)", wrong.Stopped!.Reason, StringComparison.Ordinal);
        Assert.Equal(ids.Order(StringComparer.Ordinal), _harness.SpoolIds().Order(StringComparer.Ordinal));
        Assert.Contains("refused the credentials", new DeliveryStateStore(_harness.Paths, "otlp").Load().LastError, StringComparison.Ordinal);

        var right = await _harness.RunAsync(new DeliveryTarget.Local(), Otlp(dashboard.OtlpEndpoint, OtlpProtocolName.Protobuf, ("x-otlp-api-key", "right-key")));

        Assert.Null(right.Stopped);
        Assert.Empty(_harness.SpoolIds());
        Assert.Equal(3, (await dashboard.LogsAsync()).Count);
    }

    internal static OtlpTarget Otlp(Uri endpoint, OtlpProtocolName protocol, params (string Name, string Value)[] headers) => Otlp(endpoint, protocol, gzip: false, headers);

    internal static OtlpTarget Otlp(Uri endpoint, OtlpProtocolName protocol, bool gzip, params (string Name, string Value)[] headers)
    {
        var list = headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToList();
        var encoding = protocol == OtlpProtocolName.Json ? OtlpProtocol.Json : OtlpProtocol.Protobuf;
        return new OtlpTarget(new Uri(endpoint, "v1/logs"), new Uri(endpoint, "v1/metrics"), list, list, encoding, encoding, gzip, "test", null);
    }
}

/// <summary>The encodings, public for theory data.</summary>
public enum OtlpProtocolName
{
    Protobuf,
    Json,
}
