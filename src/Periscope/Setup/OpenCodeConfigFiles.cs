using Periscope.Config;
using Periscope.Git;

namespace Periscope.Setup;

/// <summary>
/// Where OpenCode reads its config: the global directory (config.json, opencode.json,
/// opencode.jsonc), OPENCODE_CONFIG, and in a project every opencode.json(c) and
/// .opencode/opencode.json(c) from the current directory up to the repository's root.
/// </summary>
internal static class OpenCodeConfigFiles
{
    /// <summary>The file install edits in a directory: opencode.jsonc when it exists, else opencode.json.</summary>
    public static string EditableIn(string directory)
    {
        var jsonc = Path.Combine(directory, "opencode.jsonc");
        return File.Exists(jsonc) ? jsonc : Path.Combine(directory, "opencode.json");
    }

    /// <summary>The directory <c>install --project</c> writes to: the repository's root, else the current directory.</summary>
    public static string ProjectDirectory(string currentDirectory, Func<string, string?> getVariable)
        => RepositoryLocator.Find(currentDirectory, getVariable)?.WorkingDirectory ?? currentDirectory;

    /// <summary>Every config file OpenCode would read from here that exists, global first.</summary>
    public static List<string> Existing(string currentDirectory, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var files = new List<string>();
        var global = PeriscopeSettings.OpenCodeDirectory(getVariable);
        foreach (var name in (ReadOnlySpan<string>)["config.json", "opencode.json", "opencode.jsonc"])
        {
            files.Add(Path.Combine(global, name));
        }

        if (getVariable("OPENCODE_CONFIG") is { Length: > 0 } custom)
        {
            files.Add(Path.GetFullPath(custom));
        }

        var root = ProjectDirectory(currentDirectory, getVariable);
        var project = new List<string>();
        for (var dir = currentDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            project.Add(Path.Combine(dir, ".opencode", "opencode.jsonc"));
            project.Add(Path.Combine(dir, ".opencode", "opencode.json"));
            project.Add(Path.Combine(dir, "opencode.jsonc"));
            project.Add(Path.Combine(dir, "opencode.json"));
            if (string.Equals(dir.TrimEnd(Path.DirectorySeparatorChar), root.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
            {
                break;
            }
        }

        project.Reverse(); // the outermost first, as OpenCode merges them
        files.AddRange(project);
        return files.Where(File.Exists).Distinct(StringComparer.Ordinal).ToList();
    }
}
