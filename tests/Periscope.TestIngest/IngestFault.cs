namespace Periscope.TestIngest;

/// <summary>What the test ingest does with one request instead of accepting it.</summary>
public abstract record IngestFault
{
    /// <summary>Answers with this status (and Retry-After, and body; and Date, when given) without storing anything.</summary>
    public sealed record Status(int Code, string? RetryAfter = null, string Body = "", string? Date = null) : IngestFault;

    /// <summary>Stores the batch, then waits this long before answering (a client with a shorter timeout gives up first).</summary>
    public sealed record Slow(TimeSpan Delay) : IngestFault;

    /// <summary>
    /// Stores the batch, completes <paramref name="Stored"/> with the request's number, then holds the
    /// answer until <paramref name="Release"/> completes: a client killed meanwhile never reads it.
    /// </summary>
    public sealed record HoldReply(TaskCompletionSource<int> Stored, Task Release) : IngestFault;

    /// <summary>Reads part of the request body, then resets the connection.</summary>
    public sealed record ResetMidBody : IngestFault;

    /// <summary>Stores the batch, then answers 200 with a body that is not JSON.</summary>
    public sealed record MalformedBody : IngestFault;
}
