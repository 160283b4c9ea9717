using System.Text.Json.Serialization;

namespace Periscope.Config;

/// <summary>
/// analytics.json, as users write it: <c>{"endpoint": "https://ingest.periscope.sh"}</c>. Every
/// property is optional; no endpoint means local mode. Unknown properties are ignored so an older
/// binary reads a newer file.
/// </summary>
internal sealed class AnalyticsConfig
{
    /// <summary>The ingest endpoint; events go to {endpoint}/v1/events. Absent or empty: local mode.</summary>
    [JsonPropertyName("endpoint")]
    public string? Endpoint { get; init; }

    /// <summary>A PEM bundle of extra trusted roots, for TLS-inspecting proxies. Relative to the file's directory.</summary>
    [JsonPropertyName("caFile")]
    public string? CaFile { get; init; }

    /// <summary>Overrides of what the endpoint's metadata says about sign-in.</summary>
    [JsonPropertyName("auth")]
    public AuthSettings? Auth { get; init; }

    /// <summary>An OpenTelemetry receiver to export every event to as well (OTLP/HTTP).</summary>
    [JsonPropertyName("otlp")]
    public OtlpSettings? Otlp { get; init; }

    /// <summary>How much the spool may hold while events cannot be delivered.</summary>
    [JsonPropertyName("spool")]
    public SpoolSettings? Spool { get; init; }
}

/// <summary>analytics.json "auth": overrides of the discovered authorization server.</summary>
internal sealed class AuthSettings
{
    [JsonPropertyName("issuer")]
    public string? Issuer { get; init; }

    [JsonPropertyName("clientId")]
    public string? ClientId { get; init; }

    [JsonPropertyName("scopes")]
    public IReadOnlyList<string>? Scopes { get; init; }
}

/// <summary>analytics.json "spool": limits; absent values keep the defaults of <see cref="SpoolLimits"/>.</summary>
internal sealed class SpoolSettings
{
    [JsonPropertyName("maxEvents")]
    public int? MaxEvents { get; init; }

    [JsonPropertyName("maxMegabytes")]
    public int? MaxMegabytes { get; init; }

    [JsonPropertyName("maxAgeDays")]
    public int? MaxAgeDays { get; init; }
}

/// <summary>Source-generated metadata for analytics.json (comments and trailing commas allowed).</summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Metadata,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(AnalyticsConfig))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;
