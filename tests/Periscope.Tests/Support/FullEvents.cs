using Periscope.Events;

namespace Periscope.Tests.Support;

/// <summary>One event of each kind with every field set, written to a spool as the hook writes them.</summary>
internal static class FullEvents
{
    public static readonly Client Client = new() { Name = "periscope", Version = "0.1.0", Os = "linux", Arch = "x64" };

    private static readonly GitContext s_git = new() { RepoUrl = "https://github.com/acme/rocket.git", RepoName = "rocket", Branch = "main", Detached = false, HeadSha = new string('c', 40) };

    public static IReadOnlyList<IPeriscopeEvent> All(int i = 0) =>
    [
        new AssistantMessageEvent
        {
            EventId = $"a{i:D31}",
            OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(1795548993377 + i),
            Client = Client,
            MessageId = $"msg_{i}",
            SessionId = "ses_otlp",
            ModelId = "claude-sonnet-4.5",
            ProviderId = "anthropic",
            Agent = "build",
            Tokens = new TokenUsage { Input = 1200, Output = 340, Reasoning = 56, CacheRead = 8000, CacheWrite = 700 },
            CostUsd = 0.01875m,
            FinishReason = "tool-calls",
            ErrorKind = "ProviderAuthError",
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1795548992112 + i),
            CompletedAt = DateTimeOffset.FromUnixTimeMilliseconds(1795548993377 + i),
            Git = s_git,
        },
        new SessionEvent
        {
            EventId = $"s{i:D31}",
            OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(1795548990000 + i),
            Client = Client,
            SessionId = "ses_otlp_child",
            Title = "Fix the launch sequence",
            Agent = "general",
            IsSubagent = true,
            ParentSessionId = "ses_otlp",
            ProjectId = "9891e69109cfcabf83afa7b49e4aedef4c956275",
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1795548990000 + i),
            Git = s_git,
        },
        new CommitEvent
        {
            EventId = $"c{i:D31}",
            OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(1795548995000 + i),
            Client = Client,
            SessionId = "ses_otlp",
            Sha = new string('d', 40),
            ParentCount = 1,
            Operation = CommitOperation.Commit,
            Attribution = CommitAttribution.Tool,
            Git = s_git,
        },
    ];

    /// <summary>A session's running totals with every field set (not in <see cref="All"/>: the totals are a kind most tests need not count).</summary>
    public static SessionUsageEvent SessionTotals(int i = 0) => new()
    {
        EventId = $"u{i:D31}",
        OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(1795548996000 + i),
        Client = Client,
        SessionId = "ses_otlp",
        Tokens = new SessionTokens { Input = 1500, Output = 345, Reasoning = 56, CacheRead = 8000, CacheWrite = 700 },
        CostUsd = 0.019m,
    };

    /// <summary>Writes the events into home/spool, oldest first; returns their event ids.</summary>
    public static IReadOnlyList<string> Spool(string home, IEnumerable<IPeriscopeEvent> events)
    {
        var spool = Path.Combine(home, "spool");
        Directory.CreateDirectory(spool);
        var ids = new List<string>();
        var written = DateTime.UtcNow.AddMinutes(-10);
        foreach (var e in events)
        {
            var path = Path.Combine(spool, e.EventId + ".json");
            File.WriteAllBytes(path, EventJson.Serialize(e));
            File.SetLastWriteTimeUtc(path, written = written.AddMilliseconds(1));
            ids.Add(e.EventId);
        }

        return ids;
    }

    /// <summary>The attributes the definition maps the event to, with values as the receiver shows them (text).</summary>
    public static Dictionary<string, string> ExpectedAttributes(IPeriscopeEvent e)
    {
        var writer = new TextAttributes();
        EventOtel.WriteAttributes(e, writer);
        return writer.Values;
    }

    private sealed class TextAttributes : IOtelAttributeWriter
    {
        public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

        public void WriteString(string key, string value) => Values[key] = value;

        public void WriteStringArray(string key, string value) => Values[key] = value;

        public void WriteInt64(string key, long value) => Values[key] = value.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public void WriteDouble(string key, double value) => Values[key] = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

        public void WriteBool(string key, bool value) => Values[key] = value ? "true" : "false";
    }
}
