namespace Periscope.Delivery;

/// <summary>The wait after a failed round: about 5 s, then x1.5 a round, capped at 5 minutes, ±20% jitter.</summary>
internal static class Backoff
{
    /// <param name="failures">Rounds failed in a row, this one included (1 or more).</param>
    /// <param name="jitter">A sample in [0, 1): where in the ±20% band the wait falls.</param>
    public static TimeSpan After(int failures, DeliveryOptions options, double jitter)
    {
        ArgumentNullException.ThrowIfNull(options);
        var exponent = Math.Min(Math.Max(failures, 1) - 1, 64);
        var seconds = Math.Min(options.BackoffInitial.TotalSeconds * Math.Pow(options.BackoffFactor, exponent), options.BackoffCap.TotalSeconds);
        seconds *= 0.8 + (0.4 * jitter);
        return TimeSpan.FromSeconds(Math.Min(seconds, options.BackoffCap.TotalSeconds));
    }
}
