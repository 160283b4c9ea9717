namespace Periscope.Stats;

/// <summary>
/// What stats and the report keep of one assistant message: no more than they show (about 150 bytes,
/// not the parsed event), with strings shared through a <see cref="NamePool"/>.
/// </summary>
internal sealed record MessageFact(
    string Session, string Model, string Provider, string? Agent, string? Repo, string? RepoName, string? Branch,
    DateTimeOffset CreatedAt, DateTimeOffset CompletedAt, Usage Usage, bool Queued)
{
    public long Tokens => Usage.Input + Usage.Output + Usage.Reasoning + Usage.CacheRead + Usage.CacheWrite;

    /// <summary>The day (UTC) the message occurred.</summary>
    public DateOnly Day => Usage.Day;
}
