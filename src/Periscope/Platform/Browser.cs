using System.Diagnostics;

namespace Periscope.Platform;

/// <summary>
/// Opens a URL in the user's browser: $BROWSER when set (a program given the URL), else xdg-open on
/// Linux, open on macOS, the shell on Windows. Detached, so a browser that stays open never holds
/// the terminal.
/// </summary>
internal static class Browser
{
    /// <summary>False when no browser could be started (then the caller shows the URL).</summary>
    public static bool TryOpen(Uri url, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(getVariable);
        if (getVariable("BROWSER") is { Length: > 0 } browser)
        {
            return Resolve(browser, getVariable) is { } program && DetachedProcess.TryStart(program, url.AbsoluteUri);
        }

        if (HostOS.IsWindows)
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(url.AbsoluteUri) { UseShellExecute = true });
                return process is not null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }

        return Resolve(HostOS.IsMacOS ? "open" : "xdg-open", getVariable) is { } opener && DetachedProcess.TryStart(opener, url.AbsoluteUri);
    }

    /// <summary>A program name looked up on PATH (posix_spawn does not search it); a path as it is.</summary>
    private static string? Resolve(string program, Func<string, string?> getVariable)
        => program.Contains('/', StringComparison.Ordinal)
            ? (File.Exists(program) ? program : null)
            : UserDirectories.FindOnPath(program, getVariable);
}
