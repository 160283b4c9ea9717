namespace Periscope.Tests.Support;

/// <summary>Reads what a run left in a PERISCOPE_HOME: spool files and the log.</summary>
internal static class StateDirectory
{
    public static IReadOnlyList<string> SpoolFiles(string home)
    {
        var spool = Path.Combine(home, "spool");
        return Directory.Exists(spool) ? Directory.GetFiles(spool, "*.json").Order(StringComparer.Ordinal).ToList() : [];
    }

    public static IReadOnlyList<string> TempFiles(string home)
    {
        var temp = Path.Combine(home, "spool", "tmp");
        return Directory.Exists(temp) ? Directory.GetFiles(temp) : [];
    }

    public static IReadOnlyList<string> LogLines(string home)
    {
        var log = Path.Combine(home, "periscope.log");
        return File.Exists(log) ? File.ReadAllLines(log) : [];
    }

    /// <summary>Everything the run wrote below the state directory but the extracted libgit2.</summary>
    public static string AllTextExceptLibraries(string home)
        => Directory.Exists(home)
            ? string.Join("\n", Directory.GetFiles(home, "*", SearchOption.AllDirectories)
                .Where(f => !f.StartsWith(Path.Combine(home, "lib"), StringComparison.Ordinal))
                .Select(File.ReadAllText))
            : string.Empty;

    /// <summary>
    /// Each file the run wrote below the state directory, by its relative path, but the extracted
    /// libraries and the lock files (empty, and held by a worker that may still be idling).
    /// </summary>
    public static List<(string Where, string Text)> Written(string home)
        => [.. Directory.EnumerateFiles(home, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}lib{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.EndsWith(".lock", StringComparison.Ordinal))
            .Select(f => (Where: Path.GetRelativePath(home, f), Text: File.ReadAllText(f)))];

    /// <summary>Every byte the run left on disk below the state directory, as text.</summary>
    public static string AllText(string home)
        => Directory.Exists(home)
            ? string.Join("\n", Directory.GetFiles(home, "*", SearchOption.AllDirectories).Select(File.ReadAllText))
            : string.Empty;
}
