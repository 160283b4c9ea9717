using Periscope.Events;
using Periscope.Git;
using Periscope.Platform;

namespace Periscope.Stats;

/// <summary>
/// How many of the commits made in the repositories Periscope saw came out of AI sessions: the
/// commits their HEAD reflogs show in the period (made there: commit, amend, merge, cherry-pick,
/// revert, a finished rebase; not pulled or fast-forwarded in), and of those, the ones a commit
/// event names. Each sha counts once, whichever worktree's reflog shows it. Repositories no
/// session was seen in, and commits older than a reflog keeps (git expires entries after 90 days
/// by default), are in neither number.
/// </summary>
internal sealed record CommitShare(int Repositories, int Commits, int FromSessions)
{
    /// <summary>FromSessions over Commits, 0 to 1; null when the reflogs show no commit.</summary>
    public decimal? Share => Commits > 0 ? Math.Round((decimal)FromSessions / Commits, 4) : null;

    public static CommitShare Measure(StatePaths paths, IEnumerable<CommitEvent> commits, DateOnly? since, DateOnly? until)
    {
        ArgumentNullException.ThrowIfNull(commits);
        var fromSessions = commits.Select(c => c.Sha).ToHashSet(StringComparer.Ordinal);
        var from = since is { } s ? new DateTimeOffset(s.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds() : long.MinValue;
        var to = until is { } u ? new DateTimeOffset(u.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(1).ToUnixTimeSeconds() : long.MaxValue;
        var made = new HashSet<string>(StringComparer.Ordinal);
        var repositories = 0;
        foreach (var gitDirectory in SeenRepositories.All(paths))
        {
            var reflog = ReflogReader.PathOf(gitDirectory);
            if (!File.Exists(reflog))
            {
                continue;
            }

            repositories++;
            foreach (var entry in ReflogReader.ReadFrom(reflog, 0))
            {
                if (entry.Time >= from && entry.Time < to
                    && ReflogOperations.Classify(entry.Message) is { } operation
                    && operation is not (CommitOperation.Pull or CommitOperation.FastForward))
                {
                    made.Add(entry.NewSha);
                }
            }
        }

        return new CommitShare(repositories, made.Count, made.Count(fromSessions.Contains));
    }
}
