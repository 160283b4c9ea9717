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
