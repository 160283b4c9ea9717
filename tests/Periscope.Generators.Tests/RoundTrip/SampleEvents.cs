using Periscope.Events;

namespace Periscope.Generators.Tests.RoundTrip;

/// <summary>Events of every kind, filled to the edges the definition allows.</summary>
internal static class SampleEvents
{
    // 512 code points, 24 of them outside the BMP (two UTF-16 units each).
    public static readonly string MaxTitle = string.Concat(Enumerable.Repeat("Käse 🧀 テスト ", 24)) + new string('x', 512 - (24 * 11));

    public static readonly Client Client = new() { Name = "periscope", Version = "0.1.0", Os = "linux", Arch = "x64" };

    public static AssistantMessageEvent FullAssistantMessage() => new()
    {
        EventId = "0123456789abcdef0123456789abcdef",
        OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(1795548993377),
        Client = Client,
        MessageId = "msg_" + new string('m', 124),
        SessionId = "ses_ünïcødé_🚀",
        ModelId = "claude-sonnet-4.5",
        ProviderId = "anthropic",
        Agent = "build",
        Tokens = new TokenUsage { Input = long.MaxValue, Output = 0, Reasoning = 9_007_199_254_740_993, CacheRead = 800, CacheWrite = 1 },
        CostUsd = 79228162514264.337593543950335m,
        FinishReason = "tool-calls",
        ErrorKind = "ProviderAuthError",
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1795548992112),
        CompletedAt = DateTimeOffset.FromUnixTimeMilliseconds(1795548993377),
        Git = new GitContext { RepoUrl = "https://example.com/org/repo.git", RepoName = "repo", Branch = "main", Detached = false, HeadSha = new string('a', 40) },
    };

    public static AssistantMessageEvent MinimalAssistantMessage() => new()
    {
        EventId = "e1",
        OccurredAt = DateTimeOffset.UnixEpoch,
        Client = Client,
        MessageId = "m",
        SessionId = "s",
        ModelId = "model",
        ProviderId = "provider",
        Tokens = new TokenUsage { Input = 0, Output = 0, Reasoning = 0, CacheRead = 0, CacheWrite = 0 },
        CostUsd = 0m,
        CreatedAt = DateTimeOffset.UnixEpoch,
        CompletedAt = DateTimeOffset.UnixEpoch,
    };

    public static SessionEvent FullSession() => new()
    {
        EventId = "session-1",
        OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(1795548993676),
        Client = Client,
        SessionId = "ses_df0f0b331ffeDYh50YSwxf08pI",
        Title = MaxTitle,
        Agent = "general",
        IsSubagent = true,
        ParentSessionId = "ses_parent",
        ProjectId = "9891e69109cfcabf83afa7b49e4aedef4c956275",
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1795548990670),
        Git = new GitContext { Detached = true, HeadSha = new string('b', 40) },
    };

    public static SessionEvent MinimalSession() => new()
    {
        EventId = "session-2",
        OccurredAt = DateTimeOffset.UnixEpoch,
        Client = Client,
        SessionId = "s",
        IsSubagent = false,
    };

    public static CommitEvent FullCommit() => new()
    {
        EventId = "commit-1",
        OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(1795548993200),
        Client = Client,
        SessionId = "ses_1",
        Sha = new string('c', 64),
        ParentCount = 2,
        Operation = CommitOperation.CherryPick,
        Attribution = CommitAttribution.Tool,
        FilesChanged = 1001,
        LinesAdded = 12345,
        LinesRemoved = 67,
        DiffPartial = true,
        Git = new GitContext { RepoUrl = "git@example.com:org/repo.git", RepoName = "repo", Branch = "feature/ünï", HeadSha = new string('c', 40) },
    };

    public static CommitEvent MinimalCommit() => new()
    {
        EventId = "commit-2",
        OccurredAt = DateTimeOffset.UnixEpoch,
        Client = Client,
        SessionId = "s",
        Sha = "abc",
        ParentCount = 0,
        Operation = CommitOperation.Commit,
        Attribution = CommitAttribution.Session,
    };

    public static SessionUsageEvent SessionTotals() => new()
    {
        EventId = "session-usage-1",
        OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(1796621351408),
        Client = Client,
        SessionId = "ses_db105cd29ffeCfQmcgib1DDUdS",
        Tokens = new SessionTokens { Input = 3000, Output = 102, Reasoning = 0, CacheRead = 600, CacheWrite = 0 },
        CostUsd = 0.010709999999999999m,
    };

    public static TheoryData<string> Names => new() { "full-assistant", "minimal-assistant", "full-session", "minimal-session", "full-commit", "minimal-commit", "session-totals" };

    public static IPeriscopeEvent ByName(string name) => name switch
    {
        "full-assistant" => FullAssistantMessage(),
        "minimal-assistant" => MinimalAssistantMessage(),
        "full-session" => FullSession(),
        "minimal-session" => MinimalSession(),
        "full-commit" => FullCommit(),
        "minimal-commit" => MinimalCommit(),
        "session-totals" => SessionTotals(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
