using System.Text.Json.Serialization;

namespace Periscope.TestIngest;

/// <summary>The ingest's answer: {"accepted":n,"rejected":[{"event_id","reason"}]}.</summary>
public sealed record IngestAnswer(
    [property: JsonPropertyName("accepted")] int Accepted,
    [property: JsonPropertyName("rejected")] IReadOnlyList<IngestAnswerRejection> Rejected);

public sealed record IngestAnswerRejection(
    [property: JsonPropertyName("event_id")] string EventId,
    [property: JsonPropertyName("reason")] string Reason);

[JsonSerializable(typeof(IngestAnswer))]
internal sealed partial class IngestAnswerJson : JsonSerializerContext;
