namespace Periscope.Delivery;

/// <summary>How delivery batches, retries and backs off. The defaults are what the product ships with.</summary>
internal sealed record DeliveryOptions
{
    /// <summary>Events in one request. Default 500.</summary>
    public int MaxBatchEvents { get; init; } = 500;

    /// <summary>JSON bytes in one request before gzip. Default 1 MiB.</summary>
    public long MaxBatchBytes { get; init; } = 1024 * 1024;

    /// <summary>One request, sending and reading the answer. Default 30 s.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of a failed request within one round (exponential, with jitter). Default 2.</summary>
    public int MaxRetryAttempts { get; init; } = 2;

    /// <summary>The first retry's delay. Default 1 s.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A Retry-After longer than this ends the round instead of being waited out. Default 10 s.</summary>
    public TimeSpan MaxRetryAfterWithinRound { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The back-off after the first failed round. Default 5 s.</summary>
    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Each further failed round multiplies the back-off. Default 1.5.</summary>
    public double BackoffFactor { get; init; } = 1.5;

    /// <summary>The longest back-off. Default 5 minutes.</summary>
    public TimeSpan BackoffCap { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The circuit opens when this share of requests fails... Default 0.5.</summary>
    public double BreakerFailureRatio { get; init; } = 0.5;

    /// <summary>...among at least this many requests... Default 4.</summary>
    public int BreakerMinimumThroughput { get; init; } = 4;

    /// <summary>...within this window. Default 30 s.</summary>
    public TimeSpan BreakerSamplingDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An open circuit sends nothing for this long. Default 30 s.</summary>
    public TimeSpan BreakerBreakDuration { get; init; } = TimeSpan.FromSeconds(30);

    public static DeliveryOptions Default { get; } = new();
}
