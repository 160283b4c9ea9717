using System.Text.Json;
using System.Text.Json.Serialization;

namespace Periscope.Delivery;

/// <summary>The ingest's answer to one request, read whole.</summary>
internal sealed record IngestReply(int Status, TimeSpan? RetryAfter, byte[] Body)
{
    /// <summary>408, 429 and 5xx: the same request may well succeed later.</summary>
    public bool IsTransient => Status is 408 or 429 or >= 500;

    /// <summary>The body as the ingest's response, or null when it is not one.</summary>
    public IngestResponse? TryParse()
    {
        try
        {
            var response = JsonSerializer.Deserialize(Body, IngestJsonContext.Default.IngestResponse);
            return response is { Accepted: not null } || response is { Rejected: not null } ? response : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The start of the body, on one line, for an error message.</summary>
    public string Snippet()
    {
        var text = System.Text.Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 200));
        var line = new string([.. text.Select(c => char.IsControl(c) ? ' ' : c)]).Trim();
        return line.Length == 0 ? "(empty body)" : line;
    }
}

/// <summary>{"accepted": n, "rejected": [{"event_id", "reason"}]}</summary>
internal sealed class IngestResponse
{
    [JsonPropertyName("accepted")]
    public int? Accepted { get; init; }

    [JsonPropertyName("rejected")]
    public IReadOnlyList<IngestRejection>? Rejected { get; init; }
}

internal sealed class IngestRejection
{
    [JsonPropertyName("event_id")]
    public string? EventId { get; init; }

    [JsonPropertyName("reason")]
    public string? Reason { get; init; }
}

/// <summary>Source-generated metadata for the ingest's responses.</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(IngestResponse))]
internal sealed partial class IngestJsonContext : JsonSerializerContext;
