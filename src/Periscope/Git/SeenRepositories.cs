using Periscope.Platform;

namespace Periscope.Git;

/// <summary>
/// The repositories Periscope has seen, by git directory: every one the hook followed a session
/// in (sessions/*.json name it), and every one 'periscope import' found sessions in
/// (import/repositories, one git directory a line). The share of a repository's commits that came
/// out of AI sessions is measured over these only.
/// </summary>
internal static class SeenRepositories
{
    public static IReadOnlyCollection<string> All(StatePaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var seen = new SessionStateStore(paths).All()
            .Select(state => state.GitDirectory)
            .OfType<string>()
            .Where(gitDirectory => gitDirectory.Length > 0)
            .ToHashSet(StringComparer.Ordinal);

        var imported = ImportedList(paths);
        if (File.Exists(imported))
        {
            seen.UnionWith(File.ReadLines(imported).Where(line => line.Length > 0));
        }

        return seen;
    }

    /// <summary>Adds repositories an import found sessions in.</summary>
    public static void AddImported(StatePaths paths, IEnumerable<string> gitDirectories)
    {
        ArgumentNullException.ThrowIfNull(gitDirectories);
        var list = ImportedList(paths);
        var known = File.Exists(list) ? File.ReadLines(list).ToHashSet(StringComparer.Ordinal) : [];
        var added = gitDirectories.Where(known.Add).ToList();
        if (added.Count > 0)
        {
            PrivateFiles.CreateDirectory(Path.GetDirectoryName(list)!);
            PrivateFiles.WriteAtomically(list, stream =>
            {
                using var writer = new StreamWriter(stream);
                foreach (var line in known.Order(StringComparer.Ordinal))
                {
                    writer.WriteLine(line);
                }
            });
        }
    }

    private static string ImportedList(StatePaths paths) => Path.Combine(paths.Root, "import", "repositories");
}
