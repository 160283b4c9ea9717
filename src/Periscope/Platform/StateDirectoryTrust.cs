namespace Periscope.Platform;

/// <summary>What is wrong with the state directory, and what to run about it.</summary>
internal sealed record StateDirectoryProblem(string Problem, string Fix)
{
    /// <summary>"Problem. Fix", as status, flush, the worker and the hook's --verbose print it.</summary>
    public override string ToString() => $"{Problem}. {Fix}";
}

/// <summary>
/// Whether the state directory is the user's alone. Whoever else can write there could plant what
/// Periscope reads (a FIFO, a forged session state) or links it writes through, so a directory
/// owned by another user, or writable by group or others, is refused: the hook exits 0 and writes
/// nothing, and doctor and status name the problem and the fix. A symbolic link in place of one of
/// the directories Periscope writes into is refused the same way. Unix only: on Windows the
/// per-user profile's ACLs decide.
/// </summary>
internal static class StateDirectoryTrust
{
    private const UnixFileMode GroupOrOtherWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>The problem with the state directory and its fix, or null when it is the user's alone (or does not exist yet).</summary>
    /// <param name="paths">The state directory.</param>
    /// <param name="subdirectories">Whether to look at the directories below it too (one lstat each).</param>
    public static StateDirectoryProblem? Check(StatePaths paths, bool subdirectories)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (HostOS.IsWindows || RegularFiles.Owner(paths.Root, followLink: true) is not { } root)
        {
            return null;
        }

        var me = RegularFiles.EffectiveUser();
        if (root.Owner != me)
        {
            return new($"the state directory {paths.Root} belongs to another user (uid {root.Owner}; you are uid {me}): Periscope does not use it, and events go nowhere",
                $"Set {StatePaths.HomeVariable} to a directory of your own (Periscope creates it, readable by you alone).");
        }

        if ((root.Mode & GroupOrOtherWrite) != 0)
        {
            var who = (root.Mode & GroupOrOtherWrite) == GroupOrOtherWrite ? "group and others" : (root.Mode & UnixFileMode.OtherWrite) != 0 ? "others" : "its group";
            return new($"the state directory {paths.Root} can be written by {who} (mode {Octal(root.Mode)}): Periscope does not use it, and events go nowhere",
                $"Run 'chmod 700 {paths.Root}', or set {StatePaths.HomeVariable} to a directory of your own.");
        }

        if (subdirectories)
        {
            // The directories Periscope writes into (built here: the hook, which skips this, pays nothing for them).
            foreach (var path in new[] { paths.Spool, paths.SpoolTemp, paths.Ledger, paths.LedgerIndex, Path.Combine(paths.Root, "sessions"), Path.Combine(paths.Root, "claims"), paths.Dead, Path.Combine(paths.Root, "lib") })
            {
                if (RegularFiles.Owner(path) is { IsSymbolicLink: true })
                {
                    return new($"{path} is a symbolic link: Periscope does not write through one",
                        $"Remove it ('rm {path}'); Periscope makes the directory again, readable by you alone.");
                }
            }
        }

        return null;
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
