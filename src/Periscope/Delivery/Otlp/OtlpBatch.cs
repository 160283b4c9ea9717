using System.Globalization;
using Periscope.Events;

namespace Periscope.Delivery.Otlp;

/// <summary>
/// One delivery batch as OpenTelemetry sees it, ready for either encoding: per sending client a
/// resource with one log record per event, and delta metrics summed over the batch (tokens by
/// type, cost, messages, commits) by model, provider, repository and branch.
/// </summary>
internal sealed class OtlpBatch
{
    /// <summary>The instrumentation scope every record and metric is under.</summary>
    public const string ScopeName = "periscope";

    private OtlpBatch(IReadOnlyList<ResourceGroup> resources) => Resources = resources;

    public IReadOnlyList<ResourceGroup> Resources { get; }

    /// <param name="events">The batch, in spool order.</param>
    /// <param name="resource">OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES.</param>
    /// <param name="since">Start of the metrics' delta interval: the previous export, or null for the batch's oldest event.</param>
    /// <param name="now">End of the interval, and the records' observed time.</param>
    public static OtlpBatch From(IReadOnlyList<IPeriscopeEvent> events, OtlpResource resource, DateTimeOffset? since, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(resource);
        var groups = new List<ResourceGroup>();
        foreach (var byClient in events.GroupBy(e => e.Client))
        {
            var records = byClient.Select(e =>
            {
                var attributes = new OtelAttributes();
                EventOtel.WriteAttributes(e, attributes);
                return new LogRecord(Nanos(e.OccurredAt), EventOtel.EventName(e), Body(e), attributes);
            }).ToList();
            var start = Nanos(since ?? byClient.Min(e => e.OccurredAt));
            var end = Math.Max(Nanos(now), start);
            groups.Add(new ResourceGroup(resource.For(byClient.Key), byClient.Key.Version, records, Metrics(byClient.ToList(), start, end)));
        }

        return new OtlpBatch(groups);
    }

    public static ulong Nanos(DateTimeOffset time) => (ulong)Math.Max(0, (time - DateTimeOffset.UnixEpoch).Ticks) * 100;

    // The record's body: what happened in a few words, metadata only (no content is ever captured).
    private static string Body(IPeriscopeEvent e) => e switch
    {
        AssistantMessageEvent m => string.Create(CultureInfo.InvariantCulture, $"{m.ProviderId}/{m.ModelId}: {m.Tokens.Input + m.Tokens.CacheRead + m.Tokens.CacheWrite} input, {m.Tokens.Output} output tokens, {m.CostUsd} USD"),
        SessionEvent s => s.IsSubagent ? $"sub-agent session {s.SessionId}" : $"session {s.SessionId}",
        CommitEvent c => $"{c.Operation.ToWireName()} {c.Sha[..Math.Min(12, c.Sha.Length)]} in session {c.SessionId}",
        SessionUsageEvent u => string.Create(CultureInfo.InvariantCulture, $"session {u.SessionId} so far: {u.Tokens.Input + u.Tokens.CacheRead + u.Tokens.CacheWrite} input, {u.Tokens.Output} output tokens, {u.CostUsd} USD"),
        _ => EventOtel.EventName(e),
    };

    private static List<Metric> Metrics(List<IPeriscopeEvent> events, ulong start, ulong end)
    {
        var tokens = new Dictionary<string, Point>(StringComparer.Ordinal);
        var cost = new Dictionary<string, Point>(StringComparer.Ordinal);
        var messages = new Dictionary<string, Point>(StringComparer.Ordinal);
        var commits = new Dictionary<string, Point>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            switch (e)
            {
                case AssistantMessageEvent m:
                    var where = Where(m.Git, ("gen_ai.request.model", m.ModelId), ("gen_ai.provider.name", m.ProviderId));
                    foreach (var (type, count) in new[] { ("input", m.Tokens.Input), ("output", m.Tokens.Output), ("reasoning", m.Tokens.Reasoning), ("cache_read", m.Tokens.CacheRead), ("cache_creation", m.Tokens.CacheWrite) })
                    {
                        Add(tokens, [.. where, ("gen_ai.token.type", type)], count, 0, start, end);
                    }

                    Add(cost, where, 0, (double)m.CostUsd, start, end);
                    Add(messages, where, 1, 0, start, end);
                    break;
                case CommitEvent c:
                    Add(commits, Where(c.Git, ("periscope.commit.attribution", c.Attribution.ToWireName())), 1, 0, start, end);
                    break;
            }
        }

        return
        [
            new("periscope.token.usage", "Tokens used by assistant messages, by type (input is uncached input; cache_read and cache_creation are counted apart).", "{token}", false, [.. tokens.Values]),
            new("periscope.cost.usage", "Cost of assistant messages in US dollars, as OpenCode computed it.", "USD", true, [.. cost.Values]),
            new("periscope.message.count", "Completed assistant messages.", "{message}", false, [.. messages.Values]),
            new("periscope.commit.count", "Commits made during AI sessions.", "{commit}", false, [.. commits.Values]),
        ];
    }

    private static (string Key, string Value)[] Where(GitContext? git, params (string Key, string Value)[] first)
    {
        var pairs = new List<(string, string)>(first);
        if (git?.RepoName is { } name)
        {
            pairs.Add(("vcs.repository.name", name));
        }

        if (git?.RepoUrl is { } url)
        {
            pairs.Add(("vcs.repository.url.full", url));
        }

        if (git?.Branch is { } branch)
        {
            pairs.Add(("vcs.ref.head.name", branch));
        }

        return [.. pairs];
    }

    private static void Add(Dictionary<string, Point> points, (string Key, string Value)[] where, long count, double amount, ulong start, ulong end)
    {
        var key = string.Join('\u001f', where.Select(w => w.Key + "=" + w.Value));
        if (!points.TryGetValue(key, out var point))
        {
            var attributes = new OtelAttributes();
            foreach (var (name, value) in where)
            {
                attributes.WriteString(name, value);
            }

            point = new Point(attributes, start, end);
            points.Add(key, point);
        }

        point.Count += count;
        point.Amount += amount;
    }

    /// <summary>The events of one client: its resource, its log records and its metrics.</summary>
    internal sealed record ResourceGroup(OtelAttributes Resource, string ScopeVersion, IReadOnlyList<LogRecord> Records, IReadOnlyList<Metric> Metrics);

    /// <summary>One event as a log record.</summary>
    internal sealed record LogRecord(ulong TimeUnixNano, string EventName, string Body, OtelAttributes Attributes);

    /// <summary>A monotonic delta sum.</summary>
    internal sealed record Metric(string Name, string Description, string Unit, bool IsDouble, IReadOnlyList<Point> Points);

    /// <summary>One data point of a sum: its attributes, interval and value.</summary>
    internal sealed class Point(OtelAttributes attributes, ulong start, ulong end)
    {
        public OtelAttributes Attributes { get; } = attributes;

        public ulong StartUnixNano { get; } = start;

        public ulong TimeUnixNano { get; } = end;

        public long Count { get; set; }

        public double Amount { get; set; }
    }
}
