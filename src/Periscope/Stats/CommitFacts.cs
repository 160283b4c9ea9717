namespace Periscope.Stats;

/// <summary>A commit as <c>stats --by commit</c> shows it: never a message, only where and when.</summary>
internal sealed record CommitFacts(string Sha, string? Repo, string? Branch, string Session, DateTimeOffset At);
