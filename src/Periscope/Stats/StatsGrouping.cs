namespace Periscope.Stats;

/// <summary>What a stats row stands for.</summary>
internal enum StatsGrouping
{
    Model,
    Provider,
    Day,
    Repo,
    Session,
    Commit,
}
