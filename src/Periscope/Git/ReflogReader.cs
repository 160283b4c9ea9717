using System.Text;
using Periscope.Platform;

namespace Periscope.Git;

/// <summary>One HEAD reflog line: the new sha, git's timestamp (epoch seconds), the message, and where the line starts.</summary>
internal readonly record struct ReflogLine(string NewSha, long Time, string Message, long Offset);

/// <summary>
/// Reads logs/HEAD from a byte offset, so a hook reads only the entries added since it last looked
/// (a long-lived clone has tens of thousands). Format: "old new Name &lt;email&gt; time tz\tmessage".
/// </summary>
internal static class ReflogReader
{
    public static string PathOf(RepositoryLocation repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return PathOf(repository.GitDirectory);
    }

    /// <summary>logs/HEAD of a git directory (a worktree's own, for a linked worktree).</summary>
    public static string PathOf(string gitDirectory) => Path.Combine(gitDirectory, "logs", "HEAD");

    /// <summary>The file's current length, 0 when there is no reflog.</summary>
    public static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>Lines starting at <paramref name="offset"/>, oldest first; malformed lines are skipped.</summary>
    public static List<ReflogLine> ReadFrom(string path, long offset)
    {
        var lines = new List<ReflogLine>();
        using var stream = RegularFiles.OpenRead(path);
        if (stream is null || offset > stream.Length)
        {
            return lines;
        }

        stream.Position = offset;
        var bytes = new byte[stream.Length - offset];
        stream.ReadExactly(bytes);
        var start = 0;
        while (start < bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0)
            {
                break; // a line still being written
            }

            if (Parse(Encoding.UTF8.GetString(bytes, start, end - start), offset + start) is { } line)
            {
                lines.Add(line);
            }

            start = end + 1;
        }

        return lines;
    }

    private static ReflogLine? Parse(string text, long offset)
    {
        var tab = text.IndexOf('\t', StringComparison.Ordinal);
        var header = tab < 0 ? text : text[..tab];
        var parts = header.Split(' ', 3);
        var close = header.LastIndexOf('>');
        if (parts.Length < 3 || close < 0)
        {
            return null;
        }

        var when = header[(close + 1)..].Trim().Split(' ');
        return long.TryParse(when[0], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var time)
            ? new ReflogLine(parts[1], time, tab < 0 ? string.Empty : text[(tab + 1)..], offset)
            : null;
    }
}
