namespace Periscope.Platform;

/// <summary>
/// When delivery waits for a new sign-in (the refresh token expired after inactivity), the next
/// OpenCode session start opens one browser sign-in: `periscope login --auto`, detached. Only on a
/// desktop (never with CI set, over SSH, or on Linux without DISPLAY/WAYLAND_DISPLAY), at most once
/// an hour (<see cref="Cooldown"/>), and one at a time (the prompt holds a lock while it runs).
/// PERISCOPE_LOGIN_PROMPT=off turns it off.
/// </summary>
internal static class SignInPrompt
{
    public const string SwitchVariable = "PERISCOPE_LOGIN_PROMPT";

    /// <summary>The least time between two prompts.</summary>
    public static readonly TimeSpan Cooldown = TimeSpan.FromHours(1);

    /// <summary>Starts the prompt when it is wanted; true when one was started.</summary>
    public static bool TryStart(StatePaths paths, Func<string, string?> getVariable, TimeProvider time)
        => IsWanted(paths, getVariable, time) && Environment.ProcessPath is { } self && DetachedProcess.TryStart(self, "login", "--auto");

    /// <summary>Delivery waits for a new sign-in, and a prompt is due.</summary>
    public static bool IsWanted(StatePaths paths, Func<string, string?> getVariable, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return File.Exists(paths.NeedsLogin) && IsDue(paths, getVariable, time);
    }

    /// <summary>A prompt starts now: the cooldown runs from here.</summary>
    public static void MarkShown(StatePaths paths, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(time);
        File.WriteAllText(paths.LoginPrompt, time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A desktop session, not switched off, and no prompt within the cooldown.</summary>
    public static bool IsDue(StatePaths paths, Func<string, string?> getVariable, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(time);
        return IsDesktop(getVariable)
            && !string.Equals(getVariable(SwitchVariable), "off", StringComparison.OrdinalIgnoreCase)
            && (!File.Exists(paths.LoginPrompt) || time.GetUtcNow() - File.GetLastWriteTimeUtc(paths.LoginPrompt) >= Cooldown);
    }

    /// <summary>Whether a browser window can reach the person at this machine.</summary>
    public static bool IsDesktop(Func<string, string?> getVariable) => IsDesktop(getVariable, HostOS.Family);

    /// <summary>Whether a browser window can reach the person, by the rules of <paramref name="os"/>.</summary>
    public static bool IsDesktop(Func<string, string?> getVariable, OSFamily os)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        bool Set(string name) => getVariable(name) is { Length: > 0 };
        if (Set("CI") || Set("SSH_CONNECTION") || Set("SSH_TTY"))
        {
            return false;
        }

        return os != OSFamily.Linux || Set("DISPLAY") || Set("WAYLAND_DISPLAY");
    }
}
