using System.Text;
using Periscope.Events;
using Periscope.Platform;

namespace Periscope.Git;

/// <summary>
/// One owner per commit across sessions (claims/&lt;sha&gt;): two sessions in one repository both
/// see a new commit in the reflog, and only one may report it. The first claim wins, except that a
/// session that made the commit inside its own bash call takes it over from a session that only
/// saw it between messages.
/// </summary>
internal sealed class CommitClaims(StatePaths paths)
{
    private string Directory => Path.Combine(paths.Root, "claims");

    /// <summary>True when <paramref name="sessionId"/> may report the commit (and now owns it).</summary>
    public bool TryClaim(string sha, string sessionId, CommitAttribution attribution)
    {
        PrivateFiles.CreateDirectory(Directory);
        var path = Path.Combine(Directory, sha);
        var claim = Encoding.UTF8.GetBytes($"{sessionId}\n{attribution.ToWireName()}\n");
        try
        {
            using var stream = new FileStream(path, PrivateFiles.NewFile(FileMode.CreateNew));
            stream.Write(claim);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            var owner = (RegularFiles.ReadAllText(path) ?? string.Empty).Split('\n');
            if (owner[0] == sessionId)
            {
                return true; // our own claim: a repeat of the same event, same id
            }

            if (attribution == CommitAttribution.Tool && owner.Length > 1 && owner[1] == "session")
            {
                File.WriteAllBytes(path, claim);
                return true;
            }

            return false;
        }
    }
}
