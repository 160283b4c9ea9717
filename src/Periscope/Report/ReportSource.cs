using Periscope.Events;
using Periscope.Platform;
using Periscope.Spool;
using Periscope.Stats;

namespace Periscope.Report;

/// <summary>
/// What a report is drawn from: the ledger (the last line of an event id winning) and the events
/// still waiting in the spool, which are marked as such. Changes nothing but the ledger index (a
/// cache, <see cref="LedgerIndex"/>); a damaged line or spool file
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
        var corrupt = 0;
        var spooled = new List<IPeriscopeEvent>();
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
                spooled.Add(read);
            }
            else
            {
                corrupt++;
            }
        }

        // A spool file whose event the ledger has already (a crash between the two) is not queued.
        var builder = new Builder();
        var ledger = LedgerFacts.Load(paths, builder.Names, lookFor: spooled.Select(e => EventKey.From(e.EventId)).ToHashSet());
        builder.AddLedger(ledger);
        foreach (var e in spooled.Where(e => !ledger.Found.Contains(EventKey.From(e.EventId))))
        {
            builder.Add(e, queued: true);
        }

        return builder.Build(corrupt + ledger.CorruptLines);
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
        => CommitCosts.Attribute([.. Messages.Where(m => !m.OutsideSteps)], Commits.Cast<IPeriscopeEvent>().Concat(Sessions));

    private sealed class Builder
    {
        private readonly List<MessageFact> _ledgerMessages = [];
        private readonly Dictionary<EventKey, MessageFact> _messages = [];
        private readonly Dictionary<EventKey, (CommitEvent Event, bool Queued)> _commits = [];
        private readonly Dictionary<EventKey, SessionEvent> _sessions = [];
        private readonly Dictionary<EventKey, (SessionUsageEvent Event, bool Queued)> _totals = [];
        private int _queued;

        public NamePool Names { get; } = new();

        /// <summary>The ledger's facts (each id once already), before anything from the spool.</summary>
        public void AddLedger(LedgerFacts ledger)
        {
            _ledgerMessages.AddRange(ledger.Messages);

            foreach (var e in ledger.Others)
            {
                Add(e, queued: false);
            }
        }

        public void Add(IPeriscopeEvent value, bool queued)
        {
            var key = EventKey.From(value.EventId);
            if (queued && (_messages.ContainsKey(key) || _commits.ContainsKey(key) || _sessions.ContainsKey(key) || _totals.ContainsKey(key)))
            {
                return; // the ledger has it already
            }

            _queued += queued ? 1 : 0;
            switch (value)
            {
                case AssistantMessageEvent m:
                    _messages[key] = new MessageFact(
                        Names.Get(m.SessionId)!,
                        Names.Get($"{m.ProviderId}/{m.ModelId}")!,
                        Names.Get(m.ProviderId)!,
                        Names.Get(m.Agent),
                        Names.Get(m.Git?.RepoUrl),
                        Names.Get(m.Git?.RepoName),
                        Names.Get(m.Git?.Branch),
                        m.CreatedAt,
                        m.CompletedAt,
                        new Usage(string.Empty, DateOnly.FromDateTime(m.OccurredAt.UtcDateTime), false, m.Tokens.Input, m.Tokens.Output, m.Tokens.Reasoning, m.Tokens.CacheRead, m.Tokens.CacheWrite, m.CostUsd),
                        queued);
                    break;
                case CommitEvent c:
                    _commits[key] = (c, queued);
                    break;
                case SessionEvent s:
                    _sessions[key] = s;
                    break;
                case SessionUsageEvent u:
                    _totals[key] = (u, queued);
                    break;
            }
        }

        public ReportSource Build(int corrupt)
        {
            List<MessageFact> messages = [.. _ledgerMessages, .. _messages.Values];
            var events = messages.Count + _commits.Count + _sessions.Count + _totals.Count - _queued;
            messages.AddRange(OutsideSteps(messages));
            return new(
                messages,
                [.. _commits.Values.Select(c => c.Event)],
                [.. _sessions.Values],
                _commits.Values.Where(c => c.Queued).Select(c => c.Event.EventId).ToHashSet(StringComparer.Ordinal),
                _queued,
                corrupt,
                events);
        }

        // Each session's usage outside its steps, placed where its latest message was.
        private List<MessageFact> OutsideSteps(List<MessageFact> messages)
        {
            if (_totals.Count == 0)
            {
                return [];
            }

            var totals = new SessionTotals();
            var latest = new Dictionary<string, MessageFact>(StringComparer.Ordinal);
            foreach (var m in messages)
            {
                totals.AddStep(m.Session, m.Usage.Input, m.Usage.Output, m.Usage.Reasoning, m.Usage.CacheRead, m.Usage.CacheWrite, m.Usage.Cost);
                if (!latest.TryGetValue(m.Session, out var known) || m.CompletedAt > known.CompletedAt)
                {
                    latest[m.Session] = m;
                }
            }

            var queued = _totals.Values.Where(t => t.Queued).Select(t => t.Event.EventId).ToHashSet(StringComparer.Ordinal);
            foreach (var (u, _) in _totals.Values)
            {
                totals.AddTotals(u);
            }

            var outside = Names.Get(SessionTotals.OutsideSteps)!;
            return [.. totals.Outside().Select(o =>
            {
                var at = latest.GetValueOrDefault(o.Session);
                return new MessageFact(Names.Get(o.Session)!, outside, outside, at?.Agent, at?.Repo, at?.RepoName, at?.Branch, o.Totals.OccurredAt, o.Totals.OccurredAt, o.Outside, queued.Contains(o.Totals.EventId)) { OutsideSteps = true };
            })];
        }
    }
}
