namespace Periscope.Stats;

/// <summary>
/// Cost, tokens of each kind, messages and commits, grouped by model, provider, day, repository or
/// session. Commits count where they can be placed: by day, repository and session (a commit has
/// no model); they are always in the totals.
/// </summary>
internal sealed record StatsReport(StatsGrouping Grouping, IReadOnlyList<StatsRow> Rows, StatsRow Totals, int CorruptLines, CommitShare? Share = null)
{
    /// <summary>Whether the commits column means anything for this grouping.</summary>
    public bool HasCommits => CommitsHaveRows(Grouping);

    /// <summary>Whether commits can be placed in a row of this grouping (a commit has no model or provider).</summary>
    public static bool CommitsHaveRows(StatsGrouping grouping) => grouping is StatsGrouping.Day or StatsGrouping.Repo or StatsGrouping.Session or StatsGrouping.Commit;
}
