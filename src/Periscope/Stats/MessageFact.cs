namespace Periscope.Stats;

/// <summary>
/// What stats and the report keep of one assistant message: no more than they show (about 150 bytes,
/// not the parsed event), with strings shared through a <see cref="NamePool"/>.
/// </summary>
internal sealed record MessageFact(
    string Session, string Model, string Provider, string? Agent, string? Repo, string? RepoName, string? Branch,
    DateTimeOffset CreatedAt, DateTimeOffset CompletedAt, Usage Usage, bool Queued)
{
    /// <summary>
    /// A session's usage outside its steps (<see cref="SessionTotals"/>): cost and tokens, but no
    /// message, and no part of any commit's cost.
    /// </summary>
    public bool OutsideSteps { get; init; }

    public long Tokens => Usage.Input + Usage.Output + Usage.Reasoning + Usage.CacheRead + Usage.CacheWrite;

    /// <summary>The day (UTC) the message occurred.</summary>
    public DateOnly Day => Usage.Day;
}
