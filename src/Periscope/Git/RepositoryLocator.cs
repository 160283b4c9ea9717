using Periscope.Platform;

namespace Periscope.Git;

/// <summary>
/// Finds the repository a directory belongs to, the way git does: GIT_DIR when set; else walking up
/// from the directory, stopping at GIT_CEILING_DIRECTORIES, and taking the first <c>.git</c>
/// directory, <c>.git</c> file (worktrees, submodules: "gitdir: &lt;path&gt;") or bare repository.
/// LibGit2Sharp's own Repository.Discover returns "" under Native AOT, hence this.
/// </summary>
internal static class RepositoryLocator
{
    /// <summary>The repository <paramref name="start"/> belongs to, or null outside any repository.</summary>
    public static RepositoryLocation? Find(string start, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        if (getVariable("GIT_DIR") is { Length: > 0 } gitDir)
        {
            var full = Path.GetFullPath(gitDir, start);
            var workTree = getVariable("GIT_WORK_TREE") is { Length: > 0 } w ? Path.GetFullPath(w, start)
                : Path.GetFileName(full) == ".git" ? Path.GetDirectoryName(full) : null;
            return IsGitDirectory(full) ? Located(full, workTree) : null;
        }

        var ceilings = Ceilings(getVariable("GIT_CEILING_DIRECTORIES"));
        for (var dir = Path.GetFullPath(start); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            var dotGit = Path.Combine(dir, ".git");
            if (Directory.Exists(dotGit) && IsGitDirectory(dotGit))
            {
                return Located(dotGit, dir);
            }

            if (File.Exists(dotGit) && ReadGitFile(dotGit) is { } linked)
            {
                return Located(linked, dir);
            }

            if (IsGitDirectory(dir))
            {
                // A bare repository, or the inside of a .git directory.
                return Path.GetFileName(dir) == ".git" ? Located(dir, Path.GetDirectoryName(dir)) : Located(dir, null);
            }

            var parent = Path.GetDirectoryName(dir);
            if (parent is not null && ceilings.Contains(TrimEnd(parent)))
            {
                return null;
            }
        }

        return null;
    }

    private static RepositoryLocation Located(string gitDirectory, string? workingDirectory)
    {
        var common = gitDirectory;
        var commonFile = Path.Combine(gitDirectory, "commondir");
        // Unreadable, or no regular file: refs are then looked up in the worktree's own directory.
        if (RegularFiles.ReadAllText(commonFile) is { } relative)
        {
            try
            {
                common = Path.GetFullPath(relative.Trim(), gitDirectory);
            }
            catch (ArgumentException)
            {
            }
        }

        return new RepositoryLocation(gitDirectory, common, workingDirectory);
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
            var line = RegularFiles.ReadFirstLine(path);
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
