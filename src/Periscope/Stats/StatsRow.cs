namespace Periscope.Stats;

/// <summary>Totals for one group (or for everything).</summary>
internal sealed class StatsRow(string key)
{
    public string Key { get; } = key;

    public long Messages { get; set; }

    public long Input { get; set; }

    public long Output { get; set; }

    public long Reasoning { get; set; }

    public long CacheRead { get; set; }

    public long CacheWrite { get; set; }

    public decimal Cost { get; set; }

    public long Commits { get; set; }

    /// <summary>The commit a row of <c>--by commit</c> stands for.</summary>
    public CommitFacts? Commit { get; init; }

    /// <summary>Counts one message's numbers (or a session's usage outside steps, which is no message).</summary>
    public void Count(Usage usage)
    {
        Messages += usage.IsMessage ? 1 : 0;
        Input += usage.Input;
        Output += usage.Output;
        Reasoning += usage.Reasoning;
        CacheRead += usage.CacheRead;
        CacheWrite += usage.CacheWrite;
        Cost += usage.Cost;
    }

    /// <summary>Adds another row's sums to this one.</summary>
    public void Add(StatsRow other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Messages += other.Messages;
        Input += other.Input;
        Output += other.Output;
        Reasoning += other.Reasoning;
        CacheRead += other.CacheRead;
        CacheWrite += other.CacheWrite;
        Cost += other.Cost;
        Commits += other.Commits;
    }
}
