namespace Periscope.Stats;

/// <summary>
/// A commit as <c>stats --by commit</c> shows it: never a message or a path, only where, when and
/// how much it changed (null where the event does not say: events from before the counts).
/// </summary>
internal sealed record CommitFacts(string Sha, string? Repo, string? Branch, string Session, DateTimeOffset At, long? Files = null, long? LinesAdded = null, long? LinesRemoved = null, bool? Partial = null)
{
    /// <summary>Lines added and removed, when the event counted them.</summary>
    public long? LinesChanged => LinesAdded + LinesRemoved;

    /// <summary>
    /// The AI cost of <paramref name="cost"/> over every 1,000 lines changed by the commits whose
    /// counts are known; null when none changed a line.
    /// </summary>
    public static decimal? PerThousandLines(decimal cost, long lines) => lines > 0 ? Math.Round(cost * 1000m / lines, 6) : null;
}

/// <summary>
/// What AI cost buys in commits, over a set of commit rows: dollars per commit, dollars per 1,000
/// changed lines (over the commits whose lines were counted, cost and lines alike), and commits per
/// dollar. Null where there is nothing to divide by.
/// </summary>
internal sealed record CommitEfficiency(decimal? PerCommit, decimal? PerThousandLines, decimal? CommitsPerDollar, long LinesChanged)
{
    public static CommitEfficiency Of(IReadOnlyCollection<StatsRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var cost = rows.Sum(r => r.Cost);
        var counted = rows.Where(r => r.Commit?.LinesChanged is not null).ToList();
        var lines = counted.Sum(r => r.Commit!.LinesChanged!.Value);
        return new CommitEfficiency(
            rows.Count > 0 ? Math.Round(cost / rows.Count, 6) : null,
            CommitFacts.PerThousandLines(counted.Sum(r => r.Cost), lines),
            cost > 0 ? Math.Round(rows.Count / cost, 4) : null,
            lines);
    }
}
