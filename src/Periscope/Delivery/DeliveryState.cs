using System.Text.Json.Serialization;

namespace Periscope.Delivery;

/// <summary>
/// status.json: what delivery remembers between processes. Written only by the holder of the
/// drain lock. The back-off lives here so that hooks arriving while the endpoint is down start
/// no fresh round of requests: the worker they spawn reads it and exits.
/// </summary>
internal sealed record DeliveryState
{
    /// <summary>Rounds failed in a row; 0 after any success.</summary>
    [JsonPropertyName("failures")]
    public int Failures { get; init; }

    /// <summary>No upload before this time (a worker exits; flush goes ahead).</summary>
    [JsonPropertyName("next_attempt_at")]
    public DateTimeOffset? NextAttemptAt { get; init; }

    [JsonPropertyName("last_success_at")]
    public DateTimeOffset? LastSuccessAt { get; init; }

    [JsonPropertyName("last_error_at")]
    public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>What went wrong last, in words a user can act on; null once a round succeeds.</summary>
    [JsonPropertyName("last_error")]
    public string? LastError { get; init; }

    /// <summary>ok, needs_login, not_a_member or none (local mode).</summary>
    [JsonPropertyName("sign_in")]
    public string? SignIn { get; init; }

    [JsonPropertyName("delivered")]
    public long Delivered { get; init; }

    [JsonPropertyName("dead_lettered")]
    public long DeadLettered { get; init; }

    /// <summary>Events dropped because the spool was full.</summary>
    [JsonPropertyName("dropped_full")]
    public long DroppedFull { get; init; }

    /// <summary>Events dropped because they waited longer than the spool's age limit.</summary>
    [JsonPropertyName("dropped_expired")]
    public long DroppedExpired { get; init; }
}

/// <summary>Source-generated metadata for status.json.</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata, WriteIndented = true)]
[JsonSerializable(typeof(DeliveryState))]
internal sealed partial class DeliveryStateJsonContext : JsonSerializerContext;
