namespace Periscope.Git;

/// <summary>
/// Finds the repository a directory belongs to, the way git does: GIT_DIR when set; else walking up
/// from the directory, stopping at GIT_CEILING_DIRECTORIES, and taking the first <c>.git</c>
/// directory, <c>.git</c> file (worktrees, submodules: "gitdir: &lt;path&gt;") or bare repository.
/// LibGit2Sharp's own Repository.Discover returns "" under Native AOT, hence this.
/// </summary>
internal static class RepositoryLocator
{
    /// <summary>The git directory for <paramref name="start"/>, or null outside any repository.</summary>
    public static string? Find(string start, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        if (getVariable("GIT_DIR") is { Length: > 0 } gitDir)
        {
            var full = Path.GetFullPath(gitDir, start);
            return IsGitDirectory(full) ? full : null;
        }

        var ceilings = Ceilings(getVariable("GIT_CEILING_DIRECTORIES"));
        for (var dir = Path.GetFullPath(start); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            var dotGit = Path.Combine(dir, ".git");
            if (Directory.Exists(dotGit) && IsGitDirectory(dotGit))
            {
                return dotGit;
            }

            if (File.Exists(dotGit) && ReadGitFile(dotGit) is { } linked)
            {
                return linked;
            }

            if (IsGitDirectory(dir))
            {
                return dir; // a bare repository, or inside .git itself
            }

            var parent = Path.GetDirectoryName(dir);
            if (parent is not null && ceilings.Contains(TrimEnd(parent)))
            {
                return null;
            }
        }

        return null;
    }

    // A git directory has HEAD, objects/ and refs/ (or a commondir file, for linked worktrees).
    private static bool IsGitDirectory(string path)
        => File.Exists(Path.Combine(path, "HEAD"))
           && (Directory.Exists(Path.Combine(path, "objects")) || File.Exists(Path.Combine(path, "commondir")))
           && (Directory.Exists(Path.Combine(path, "refs")) || File.Exists(Path.Combine(path, "commondir")));

    private static string? ReadGitFile(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            var line = reader.ReadLine();
            if (line is null || !line.StartsWith("gitdir:", StringComparison.Ordinal))
            {
                return null;
            }

            var target = Path.GetFullPath(line["gitdir:".Length..].Trim(), Path.GetDirectoryName(path)!);
            return IsGitDirectory(target) ? target : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static HashSet<string> Ceilings(string? value)
        => value is null
            ? []
            : value.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Where(Path.IsPathRooted)
                .Select(c => TrimEnd(Path.GetFullPath(c)))
                .ToHashSet(StringComparer.Ordinal);

    private static string TrimEnd(string path)
        => path.Length > 1 ? path.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) : path;
}
