namespace Periscope.TestIngest;

/// <summary>One event as the test ingest received it: its id, kind and JSON, and which request carried it.</summary>
public sealed record ReceivedEvent(string EventId, string Kind, string Json, int Request);

/// <summary>One request as the test ingest saw it; <paramref name="Https"/> when it came over TLS.</summary>
public sealed record ReceivedRequest(int Number, string? Authorization, string? ContentEncoding, int Events, int Status, bool Https);
