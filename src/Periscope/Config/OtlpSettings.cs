using System.Text.Json.Serialization;

namespace Periscope.Config;

/// <summary>analytics.json "otlp": an OpenTelemetry receiver, as <c>{"endpoint": "http://localhost:4318", "headers": {...}, "protocol": "http/protobuf"}</c>.</summary>
internal sealed class OtlpSettings
{
    /// <summary>The receiver's base URL; logs go to {endpoint}/v1/logs and metrics to {endpoint}/v1/metrics.</summary>
    [JsonPropertyName("endpoint")]
    public string? Endpoint { get; init; }

    /// <summary>Headers for every request, e.g. an API key.</summary>
    [JsonPropertyName("headers")]
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>http/protobuf (default) or http/json.</summary>
    [JsonPropertyName("protocol")]
    public string? Protocol { get; init; }

    /// <summary>gzip, or none (the default).</summary>
    [JsonPropertyName("compression")]
    public string? Compression { get; init; }
}
