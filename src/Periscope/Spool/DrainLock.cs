using Periscope.Platform;

namespace Periscope.Spool;

/// <summary>
/// One drainer of the spool at a time (flush, the worker): <see cref="ProcessLock"/> on worker.lock.
/// </summary>
internal static class DrainLock
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(100);

    /// <summary>The held lock, or null when another process holds it.</summary>
    public static FileStream? TryAcquire(StatePaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return ProcessLock.TryAcquire(paths.DrainLock);
    }

    /// <summary>
    /// The lock, waiting while another drainer holds it: held as soon as it is free, or null once
    /// <paramref name="pointless"/> says waiting is pointless (the holder emptied the spool) or
    /// <paramref name="timeout"/> has passed. <paramref name="waiting"/> runs once, when the wait starts.
    /// </summary>
    public static async Task<FileStream?> AcquireAsync(StatePaths paths, Action waiting, Func<bool> pointless, TimeSpan timeout, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        ArgumentNullException.ThrowIfNull(pointless);
        ArgumentNullException.ThrowIfNull(time);
        var deadline = time.GetUtcNow() + timeout;
        for (var attempt = 0; ; attempt++)
        {
            var held = TryAcquire(paths);
            if (held is not null || pointless() || time.GetUtcNow() >= deadline)
            {
                return held;
            }

            if (attempt == 0)
            {
                waiting();
            }

            await Task.Delay(s_poll, time);
        }
    }
}
