using Periscope.Platform;

namespace Periscope.Spool;

/// <summary>
/// Starts `periscope worker` in the background when no worker holds the drain lock. PERISCOPE_WORKER=off
/// turns this off (the spool then waits for `periscope flush`).
/// </summary>
internal static class WorkerLauncher
{
    public const string SwitchVariable = "PERISCOPE_WORKER";

    /// <summary>True when a worker was started; false when one runs already, it is off, or it could not start.</summary>
    public static bool EnsureRunning(StatePaths paths, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        if (string.Equals(getVariable(SwitchVariable), "off", StringComparison.OrdinalIgnoreCase) || Environment.ProcessPath is not { } self)
        {
            return false;
        }

        // Free now means no worker runs; if two hooks race here, the second worker finds the lock
        // taken and exits at once.
        using (var probe = DrainLock.TryAcquire(paths))
        {
            if (probe is null)
            {
                return false;
            }
        }

        return DetachedProcess.TryStart(self, "worker");
    }
}
