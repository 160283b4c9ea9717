using Periscope.Events;

namespace Periscope.Tests.Support;

/// <summary>Events built for a test's own ledger: each call a new event id, in the order made.</summary>
internal sealed class TestEvents
{
    private int _next;

    public string NewId() => (++_next).ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A message of <paramref name="model"/> (provider/model) that began at <paramref name="at"/> and took a minute.</summary>
    public AssistantMessageEvent Message(string session, DateTimeOffset at, string model, decimal cost, TokenUsage tokens, GitContext? git = null) => new()
    {
        EventId = NewId(),
        OccurredAt = at.AddMinutes(1),
        Client = FullEvents.Client,
        MessageId = $"msg_{_next}",
        SessionId = session,
        ProviderId = model.Split('/')[0],
        ModelId = model.Split('/')[1],
        Agent = "build",
        Tokens = tokens,
        CostUsd = cost,
        CreatedAt = at,
        CompletedAt = at.AddMinutes(1),
        Git = git,
    };

    public CommitEvent Commit(string session, DateTimeOffset at, string sha, GitContext? git) => new()
    {
        EventId = NewId(),
        OccurredAt = at,
        Client = FullEvents.Client,
        SessionId = session,
        Sha = sha,
        ParentCount = 1,
        Operation = CommitOperation.Commit,
        Attribution = CommitAttribution.Tool,
        Git = git,
    };

    public SessionEvent Session(string session, DateTimeOffset at, string? parent, string? title = null, string? agent = null) => new()
    {
        EventId = NewId(),
        OccurredAt = at,
        Client = FullEvents.Client,
        SessionId = session,
        Title = title,
        Agent = agent,
        IsSubagent = parent is not null,
        ParentSessionId = parent,
    };
}
