using Periscope.Events;
using Periscope.Platform;
using Periscope.Spool;
using Periscope.Stats;

namespace Periscope.Report;

/// <summary>What a report keeps of one assistant message: no more than it shows (about 150 bytes, not the parsed event).</summary>
internal sealed record MessageFact(
    string EventId, string Session, string Model, string Provider, string? Agent, string? Repo, string? RepoName, string? Branch,
    DateTimeOffset OccurredAt, DateTimeOffset CreatedAt, DateTimeOffset CompletedAt, Usage Usage, bool Queued)
{
    public long Tokens => Usage.Input + Usage.Output + Usage.Reasoning + Usage.CacheRead + Usage.CacheWrite;

    public DateOnly Day => DateOnly.FromDateTime(OccurredAt.UtcDateTime);
}

/// <summary>
/// What a report is drawn from: the ledger (the last line of an event id winning) and the events
/// still waiting in the spool, which are marked as such. Reads only; a damaged line or spool file
/// is counted, never moved. Messages are kept as <see cref="MessageFact"/>s with their strings
/// shared, so a ledger of a million messages fits in a few hundred MB.
/// </summary>
internal sealed record ReportSource(
    IReadOnlyList<MessageFact> Messages,
    IReadOnlyList<CommitEvent> Commits,
    IReadOnlyList<SessionEvent> Sessions,
    IReadOnlySet<string> QueuedCommits,
    int QueuedEvents,
    int CorruptLines,
    int LedgerEvents)
{
    public static ReportSource Load(StatePaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var builder = new Builder();
        var corrupt = 0;
        foreach (var file in new LocalLedger(paths).Files())
        {
            corrupt += LedgerBlocks.ReadEvents(file, e => builder.Add(e, queued: false));
        }

        // A spool file whose event the ledger has already (a crash between the two) is not queued.
        foreach (var file in new SpoolReader(paths).Pending())
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file.Path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // delivered and removed while this listing was read
            }

            if (EventJson.Read(bytes).Event is { } read)
            {
                builder.Add(read, queued: true);
            }
            else
            {
                corrupt++;
            }
        }

        return builder.Build(corrupt);
    }

    /// <summary>A source from events at hand: those named in <paramref name="queued"/> as still in the spool.</summary>
    public static ReportSource From(IEnumerable<IPeriscopeEvent> events, IReadOnlySet<string> queued, int corruptLines)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(queued);
        var builder = new Builder();
        foreach (var e in events)
        {
            builder.Add(e, queued.Contains(e.EventId));
        }

        return builder.Build(corruptLines);
    }

    /// <summary>Only the messages and commits of one repository, named by its name or its URL; sessions stay, for their titles.</summary>
    public ReportSource ForRepository(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        bool Matches(string? url, string? repoName)
            => string.Equals(repoName, name, StringComparison.OrdinalIgnoreCase) || string.Equals(url, name, StringComparison.OrdinalIgnoreCase);
        return this with
        {
            Messages = [.. Messages.Where(m => Matches(m.Repo, m.RepoName))],
            Commits = [.. Commits.Where(c => c.Git is { } git && Matches(git.RepoUrl, git.RepoName))],
        };
    }

    /// <summary>Every commit with the cost that led to it, oldest first (docs/commit-detection.md).</summary>
    public List<StatsRow> CommitRows()
        => CommitCosts.Attribute(Messages.Select(m => (m.EventId, m.Session, m.CreatedAt, m.Usage)), Commits.Cast<IPeriscopeEvent>().Concat(Sessions));

    private sealed class Builder
    {
        private readonly Dictionary<EventKey, MessageFact> _messages = [];
        private readonly Dictionary<EventKey, (CommitEvent Event, bool Queued)> _commits = [];
        private readonly Dictionary<EventKey, SessionEvent> _sessions = [];
        private readonly NamePool _names = new();
        private int _queued;

        public void Add(IPeriscopeEvent value, bool queued)
        {
            var key = EventKey.From(value.EventId);
            if (queued && (_messages.ContainsKey(key) || _commits.ContainsKey(key) || _sessions.ContainsKey(key)))
            {
                return; // the ledger has it already
            }

            _queued += queued ? 1 : 0;
            switch (value)
            {
                case AssistantMessageEvent m:
                    _messages[key] = new MessageFact(
                        m.EventId,
                        _names.Get(m.SessionId)!,
                        _names.Get($"{m.ProviderId}/{m.ModelId}")!,
                        _names.Get(m.ProviderId)!,
                        _names.Get(m.Agent),
                        _names.Get(m.Git?.RepoUrl),
                        _names.Get(m.Git?.RepoName),
                        _names.Get(m.Git?.Branch),
                        m.OccurredAt,
                        m.CreatedAt,
                        m.CompletedAt,
                        new Usage(string.Empty, default, false, m.Tokens.Input, m.Tokens.Output, m.Tokens.Reasoning, m.Tokens.CacheRead, m.Tokens.CacheWrite, m.CostUsd),
                        queued);
                    break;
                case CommitEvent c:
                    _commits[key] = (c, queued);
                    break;
                case SessionEvent s:
                    _sessions[key] = s;
                    break;
            }
        }

        public ReportSource Build(int corrupt)
            => new(
                [.. _messages.Values],
                [.. _commits.Values.Select(c => c.Event)],
                [.. _sessions.Values],
                _commits.Values.Where(c => c.Queued).Select(c => c.Event.EventId).ToHashSet(StringComparer.Ordinal),
                _queued,
                corrupt,
                _messages.Count + _commits.Count + _sessions.Count - _queued);
    }
}
