namespace Periscope.Stats;

/// <summary>What one ledger event adds to a report: its group, its day, and its numbers.</summary>
internal readonly record struct Usage(string Key, DateOnly Day, bool IsCommit, long Input, long Output, long Reasoning, long CacheRead, long CacheWrite, decimal Cost);
