namespace Periscope.Platform;

/// <summary>
/// The user's home, the XDG base directories and PATH, one rule for everything that needs them:
/// HOME (else the OS's profile folder); $XDG_*_HOME when it is an absolute path, else its default
/// under the home (a relative value is ignored, as the XDG specification asks); PATH split by the
/// OS's separator, first match wins.
/// </summary>
internal static class UserDirectories
{
    public static string Home(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        return getVariable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
    }

    /// <summary>$<paramref name="variable"/> when absolute, else ~/<paramref name="fallback"/>.</summary>
    /// <param name="getVariable">Reads an environment variable.</param>
    /// <param name="variable">XDG_CONFIG_HOME, XDG_STATE_HOME, XDG_CACHE_HOME...</param>
    /// <param name="fallback">The default below the home, e.g. ".config" or ".local/state".</param>
    public static string Xdg(Func<string, string?> getVariable, string variable, params string[] fallback)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        return getVariable(variable) is { Length: > 0 } configured && Path.IsPathRooted(configured)
            ? configured
            : Path.Combine([Home(getVariable), .. fallback]);
    }

    /// <summary>The first file named <paramref name="file"/> in a directory on PATH, or null.</summary>
    public static string? FindOnPath(string file, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        return (getVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, file))
            .FirstOrDefault(File.Exists);
    }
}
