namespace Periscope.Delivery;

/// <summary>An event a sink refused, and the words for why that go beside it in dead/.</summary>
internal sealed record Rejection(string EventId, string Reason);

/// <summary>What sending one batch came to.</summary>
internal abstract record SinkResult
{
    private SinkResult()
    {
    }

    /// <summary>Stored; every event not rejected was accepted (2xx). Rejected ones go to dead/.</summary>
    internal sealed record Accepted(IReadOnlyList<Rejection> Rejected) : SinkResult;

    /// <summary>The batch was refused because of these events (400/422): they go to dead/, the rest is sent again.</summary>
    internal sealed record Refused(IReadOnlyList<Rejection> Rejected) : SinkResult;

    /// <summary>413: the batch is too large; send it in halves.</summary>
    internal sealed record TooLarge : SinkResult;

    /// <summary>
    /// Some of the batch was refused without naming which (OTLP's partial_success): the batch is
    /// sent again in halves until each refused event stands alone and goes to dead/ with the message.
    /// </summary>
    internal sealed record PartlyRejected(string Message) : SinkResult;

    /// <summary>A refusal that sending again will not change (another 4xx): the whole batch goes to dead/.</summary>
    internal sealed record Undeliverable(string Reason) : SinkResult;

    /// <summary>Not delivered now, delivered later: the events stay in the spool and delivery backs off.</summary>
    /// <param name="SignIn">needs_login or not_a_member when that is why; null for a fault of the network or server.</param>
    /// <param name="RetryAfter">The server's Retry-After, when it gave one.</param>
    internal sealed record Unavailable(string Reason, string? SignIn = null, TimeSpan? RetryAfter = null) : SinkResult;
}
