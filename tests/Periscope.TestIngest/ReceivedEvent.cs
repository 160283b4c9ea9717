namespace Periscope.TestIngest;

/// <summary>One event as the test ingest received it: its id, kind and JSON, and which request carried it.</summary>
public sealed record ReceivedEvent(string EventId, string Kind, string Json, int Request);

/// <summary>One request as the test ingest saw it; <paramref name="Https"/> when it came over TLS.</summary>
public sealed record ReceivedRequest(int Number, string? Authorization, string? ContentEncoding, int Events, int Status, bool Https);

/// <summary>One OTLP request: its path, whether JSON, its Content-Encoding, the body as sent (decompressed) and the status answered (0: connection dropped).</summary>
public sealed record OtlpRequest(string Path, bool Json, string? ContentEncoding, byte[] Body, int Status)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}
