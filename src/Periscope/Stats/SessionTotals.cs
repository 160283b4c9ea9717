using Periscope.Events;

namespace Periscope.Stats;

/// <summary>
/// What sessions cost beyond their assistant messages. OpenCode 2 counts requests without a step
/// (the title, summaries) in a session's running totals, which arrive as
/// <see cref="SessionUsageEvent"/>s; the part outside steps is the latest totals less the sum of
/// the session's messages, each count at least 0. A later total supersedes an earlier one, so
/// totals are compared, never summed: the latest is the largest (totals only grow).
/// </summary>
internal sealed class SessionTotals
{
    /// <summary>The model and provider name of the part outside steps: its model is not recorded.</summary>
    public const string OutsideSteps = "(outside steps)";

    private readonly Dictionary<string, SessionUsageEvent> _latest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Usage> _steps = new(StringComparer.Ordinal);

    /// <summary>Whether any session has totals.</summary>
    public bool Any => _latest.Count > 0;

    /// <summary>The sessions with totals.</summary>
    public IEnumerable<string> Sessions => _latest.Keys;

    public void AddTotals(SessionUsageEvent totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        if (!_latest.TryGetValue(totals.SessionId, out var known) || Later(totals, known))
        {
            _latest[totals.SessionId] = totals;
        }
    }

    /// <summary>Counts one assistant message of <paramref name="session"/>.</summary>
    public void AddStep(string session, long input, long output, long reasoning, long cacheRead, long cacheWrite, decimal cost)
    {
        var sum = _steps.GetValueOrDefault(session);
        _steps[session] = sum with
        {
            Input = sum.Input + input,
            Output = sum.Output + output,
            Reasoning = sum.Reasoning + reasoning,
            CacheRead = sum.CacheRead + cacheRead,
            CacheWrite = sum.CacheWrite + cacheWrite,
            Cost = sum.Cost + cost,
        };
    }

    /// <summary>Each session's part outside steps, where it is more than nothing, dated by its latest totals.</summary>
    public IEnumerable<(string Session, SessionUsageEvent Totals, Usage Outside)> Outside()
    {
        foreach (var (session, totals) in _latest)
        {
            var steps = _steps.GetValueOrDefault(session);
            var t = totals.Tokens;
            var outside = new Usage(
                string.Empty,
                DateOnly.FromDateTime(totals.OccurredAt.UtcDateTime),
                IsCommit: false,
                Math.Max(0, t.Input - steps.Input),
                Math.Max(0, t.Output - steps.Output),
                Math.Max(0, t.Reasoning - steps.Reasoning),
                Math.Max(0, t.CacheRead - steps.CacheRead),
                Math.Max(0, t.CacheWrite - steps.CacheWrite),
                Math.Max(0m, totals.CostUsd - steps.Cost),
                IsMessage: false);
            if (outside.Cost > 0 || outside.Input + outside.Output + outside.Reasoning + outside.CacheRead + outside.CacheWrite > 0)
            {
                yield return (session, totals, outside);
            }
        }
    }

    private static bool Later(SessionUsageEvent a, SessionUsageEvent b)
    {
        static long Sum(SessionTokens t) => t.Input + t.Output + t.Reasoning + t.CacheRead + t.CacheWrite;
        return (Sum(a.Tokens), a.CostUsd, a.OccurredAt).CompareTo((Sum(b.Tokens), b.CostUsd, b.OccurredAt)) > 0;
    }
}
