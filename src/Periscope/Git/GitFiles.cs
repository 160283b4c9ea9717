using System.Text;
using Periscope.Platform;

namespace Periscope.Git;

/// <summary>
/// Reads what the hook needs straight from the repository's files: HEAD, refs (loose and packed)
/// and remotes in config. Loading libgit2 costs a hook about 3 ms (it also initialises OpenSSL and
/// reads the global config), several times the whole budget, so the hot path reads these few files
/// itself; libgit2 is opened only to read a new commit's object.
/// </summary>
internal static class GitFiles
{
    /// <summary>What HEAD points at: a branch (refs/heads/x) or, when detached, a sha.</summary>
    public static (string? Branch, string? DetachedSha) ReadHead(RepositoryLocation repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var head = ReadFirstLine(Path.Combine(repository.GitDirectory, "HEAD"));
        if (head is null)
        {
            return (null, null);
        }

        return head.StartsWith("ref:", StringComparison.Ordinal) ? (head[4..].Trim(), null) : (null, head.Trim());
    }

    /// <summary>The sha a ref points at, following symbolic refs; null when it does not exist (unborn).</summary>
    public static string? ResolveRef(RepositoryLocation repository, string name)
    {
        ArgumentNullException.ThrowIfNull(repository);
        for (var depth = 0; depth < 5; depth++)
        {
            var value = ReadFirstLine(Path.Combine(repository.GitDirectory, name))
                ?? ReadFirstLine(Path.Combine(repository.CommonDirectory, name))
                ?? PackedRef(repository.CommonDirectory, name);
            if (value is null || !value.StartsWith("ref:", StringComparison.Ordinal))
            {
                return value?.Trim();
            }

            name = value[4..].Trim();
        }

        return null;
    }

    /// <summary>Remote URLs from config, in order: (name, url).</summary>
    public static IReadOnlyList<(string Name, string Url)> Remotes(RepositoryLocation repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var remotes = new List<(string, string)>();
        string? remote = null;
        foreach (var raw in ReadLines(Path.Combine(repository.CommonDirectory, "config")))
        {
            var line = raw.Trim();
            if (line.StartsWith('['))
            {
                remote = RemoteSection(line);
                continue;
            }

            if (remote is null || line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && line[..equals].Trim().Equals("url", StringComparison.OrdinalIgnoreCase) && !remotes.Any(r => r.Item1 == remote))
            {
                remotes.Add((remote, ConfigValue(line[(equals + 1)..])));
            }
        }

        return remotes;
    }

    // [remote "origin"] -> origin; any other section -> null.
    private static string? RemoteSection(string line)
    {
        var end = line.IndexOf(']', StringComparison.Ordinal);
        var header = end < 0 ? line[1..] : line[1..end];
        var quote = header.IndexOf('"', StringComparison.Ordinal);
        if (quote < 0 || !header[..quote].Trim().Equals("remote", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var close = header.LastIndexOf('"');
        return close > quote ? header[(quote + 1)..close] : null;
    }

    // A config value: quotes removed, an unquoted trailing comment dropped.
    private static string ConfigValue(string value)
    {
        var builder = new StringBuilder();
        var quoted = false;
        foreach (var c in value.Trim())
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is '#' or ';')
            {
                break;
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Trim();
    }

    private static string? PackedRef(string commonDirectory, string name)
    {
        foreach (var line in ReadLines(Path.Combine(commonDirectory, "packed-refs")))
        {
            // "<sha> <name>"; '#' header and '^' peeled lines are skipped.
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && line[0] is not ('#' or '^') && line.AsSpan(space + 1).SequenceEqual(name))
            {
                return line[..space];
            }
        }

        return null;
    }

    // A repository's files are anyone's: a FIFO, device or socket in their place reads as absent.
    private static string? ReadFirstLine(string path) => RegularFiles.ReadFirstLine(path);

    private static string[] ReadLines(string path) => RegularFiles.ReadAllLines(path);
}
