namespace Periscope.Stats;

/// <summary>
/// What one ledger event adds to a report: its group, its day, and its numbers. A session's usage
/// outside its steps (<see cref="SessionTotals"/>) adds tokens and cost but no message.
/// </summary>
internal readonly record struct Usage(string Key, DateOnly Day, bool IsCommit, long Input, long Output, long Reasoning, long CacheRead, long CacheWrite, decimal Cost, bool IsMessage = true);
