using System.Runtime.CompilerServices;

namespace Periscope.Generators.Tests;

/// <summary>
/// Compares text with a committed snapshot in _snapshots/. On a difference it writes
/// NAME.received beside it and fails; set PERISCOPE_ACCEPT_SNAPSHOTS=1 to accept new output.
/// </summary>
internal static class Snapshot
{
    /// <summary>Checks every file, writes a .received for each that differs, then fails once naming them all.</summary>
    public static void MatchAll(IEnumerable<(string Name, string Text)> files, [CallerFilePath] string caller = "")
    {
        var failures = new List<string>();
        foreach (var (name, text) in files)
        {
            try
            {
                Match(name, text, caller);
            }
            catch (Xunit.Sdk.XunitException ex)
            {
                failures.Add(ex.Message);
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    public static void Match(string name, string actual, [CallerFilePath] string caller = "")
    {
        var directory = Path.Combine(GeneratorHarness.RepoRoot, "tests", "Periscope.Generators.Tests", "_snapshots");
        var expectedPath = Path.Combine(directory, name + ".snap");
        var receivedPath = Path.Combine(directory, name + ".received");
        actual = actual.ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable("PERISCOPE_ACCEPT_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(expectedPath)!);
            File.WriteAllText(expectedPath, actual);
            File.Delete(receivedPath);
            return;
        }

        var expected = File.Exists(expectedPath) ? File.ReadAllText(expectedPath).ReplaceLineEndings("\n") : null;
        if (expected == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(receivedPath)!);
        File.WriteAllText(receivedPath, actual);
        Assert.Fail(expected is null
            ? $"No snapshot {name}.snap yet (called from {Path.GetFileName(caller)}). Review {receivedPath}, then accept with PERISCOPE_ACCEPT_SNAPSHOTS=1."
            : $"Output differs from {name}.snap at line {FirstDifference(expected, actual)}. Review {receivedPath}; accept with PERISCOPE_ACCEPT_SNAPSHOTS=1.");
    }

    private static int FirstDifference(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            if (a[i] != b[i])
            {
                return i + 1;
            }
        }

        return Math.Min(a.Length, b.Length) + 1;
    }
}
