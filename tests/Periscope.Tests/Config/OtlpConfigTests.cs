using Periscope.Config;
using Periscope.Tests.Support;

namespace Periscope.Tests.Config;

/// <summary>Where OTLP export goes: the OTEL_* variables over analytics.json, the signal's variable over the general one.</summary>
public sealed class OtlpConfigTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void NothingConfigured_NoExport()
        => Assert.Null(Load(null).Otlp);

    [Fact]
    public void AnalyticsJson_Endpoint_HeadersAndProtocol()
    {
        var otlp = Load("""{"otlp": {"endpoint": "https://otel.example.com:4318", "headers": {"x-api-key": "k1"}, "protocol": "http/json", "compression": "gzip"}}""").Otlp!;

        Assert.Equal("https://otel.example.com:4318/v1/logs", otlp.LogsUri!.ToString());
        Assert.Equal("https://otel.example.com:4318/v1/metrics", otlp.MetricsUri!.ToString());
        Assert.Equal([new KeyValuePair<string, string>("x-api-key", "k1")], otlp.LogsHeaders);
        Assert.Equal(OtlpProtocol.Json, otlp.LogsProtocol);
        Assert.True(otlp.Gzip);
        Assert.Contains("analytics.json", otlp.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void TheGeneralVariable_WinsOverTheFile_AndTheSignalsVariable_WinsOverBoth_AsAFullUrl()
    {
        var settings = Load(
            """{"otlp": {"endpoint": "https://file.example.com", "headers": {"x-api-key": "from-file"}}}""",
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318/base/"),
            ("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://localhost:9090/api/v1/otlp/v1/metrics"),
            ("OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=from%20env,tenant=acme"),
            ("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "http/json"));
        var otlp = settings.Otlp!;

        Assert.Equal("http://localhost:4318/base/v1/logs", otlp.LogsUri!.ToString());
        Assert.Equal("http://localhost:9090/api/v1/otlp/v1/metrics", otlp.MetricsUri!.ToString());
        Assert.Equal([new("x-api-key", "from env"), new KeyValuePair<string, string>("tenant", "acme")], otlp.LogsHeaders);
        Assert.Equal(OtlpProtocol.Protobuf, otlp.LogsProtocol);
        Assert.Equal(OtlpProtocol.Json, otlp.MetricsProtocol);
        Assert.False(otlp.Gzip);
        Assert.IsType<DeliveryTarget.Local>(settings.Target); // export works alone: no Periscope endpoint, no sign-in
    }

    [Theory]
    [InlineData("OTEL_SDK_DISABLED", "true")]
    [InlineData("OTEL_LOGS_EXPORTER", "none", "OTEL_METRICS_EXPORTER", "none")]
    public void SwitchedOff_NoExport(string name, string value, string? name2 = null, string? value2 = null)
    {
        var variables = new List<(string, string)> { ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318"), (name, value) };
        if (name2 is not null)
        {
            variables.Add((name2, value2!));
        }

        Assert.Null(Load(null, [.. variables]).Otlp);
    }

    [Fact]
    public void MetricsSwitchedOff_LogsStillGo()
    {
        var otlp = Load(null, ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318"), ("OTEL_METRICS_EXPORTER", "none")).Otlp!;

        Assert.NotNull(otlp.LogsUri);
        Assert.Null(otlp.MetricsUri);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc", "OTLP over gRPC is not supported: use http/protobuf")]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "thrift", "neither http/protobuf nor http/json")]
    [InlineData("OTEL_EXPORTER_OTLP_COMPRESSION", "zstd", "neither gzip nor none")]
    [InlineData("OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=secret", "plain http to another machine")]
    public void BadSettings_AreAProblemToFix_AndKeepEventsInTheSpool(string name, string value, string problem)
    {
        var settings = Load(null, ("OTEL_EXPORTER_OTLP_ENDPOINT", name == "OTEL_EXPORTER_OTLP_HEADERS" ? "http://otel.internal:4318" : "http://localhost:4318"), (name, value));

        var bad = Assert.IsType<DeliveryTarget.Misconfigured>(settings.Target);
        Assert.Contains(problem, bad.Problem, StringComparison.Ordinal);
        Assert.Contains("events stay in the spool", bad.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void NotAUrl_IsAProblemNamingItsSource()
    {
        var bad = Assert.IsType<DeliveryTarget.Misconfigured>(Load(null, ("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "localhost:4318")).Target);

        Assert.Contains("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", bad.Problem, StringComparison.Ordinal);
    }

    private PeriscopeSettings Load(string? content, params (string Name, string Value)[] variables)
    {
        var path = _temp.Combine("analytics.json");
        if (content is not null)
        {
            File.WriteAllText(path, content);
        }

        var map = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        map["PERISCOPE_CONFIG"] = path;
        return PeriscopeSettings.Load(name => map.GetValueOrDefault(name));
    }
}
