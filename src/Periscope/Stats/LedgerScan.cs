using Periscope.Spool;
using System.Globalization;
using Periscope.Events;

namespace Periscope.Stats;

/// <summary>
/// Reads the ledger for a report without keeping its events. A line can repeat after a crash
/// between ledger append and spool delete, and then the last line of an event id wins: a first,
/// cheap pass finds the ids that occur more than once (reading only their event_id); the second
/// parses every line in parallel slices and adds it to the tally at once, keeping aside only the
/// repeated ids. Memory stays at a read buffer, the set of ids and the rows.
/// </summary>
internal static class LedgerScan
{
    private static ReadOnlySpan<byte> EventIdProperty => "\"event_id\":\""u8;

    public static StatsReport Report(LocalLedger ledger, StatsGrouping grouping, DateOnly? since, DateOnly? until)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var files = ledger.Files().Where(f => MonthOverlaps(Path.GetFileNameWithoutExtension(f), since, until)).ToList();
        var repeated = RepeatedIds(files);
        var slices = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new Slice(grouping, repeated, since, until)).ToArray();
        var kept = new Dictionary<EventKey, Usage>();
        var tally = new StatsTally(grouping);
        foreach (var file in files)
        {
            tally.CorruptLines += LedgerBlocks.Read(file, block =>
            {
                var bounds = SliceBounds(block.Span, slices.Length);
                Parallel.For(0, slices.Length, i => slices[i].Scan(block.Span[bounds[i]..bounds[i + 1]]));

                // In file order, so the last line of a repeated id wins.
                foreach (var slice in slices)
                {
                    foreach (var (key, usage) in slice.TakeRepeats())
                    {
                        kept[key] = usage;
                    }
                }
            });
        }

        foreach (var slice in slices)
        {
            tally.Merge(slice.Tally);
        }

        foreach (var usage in kept.Values.Where(u => InRange(u, since, until)))
        {
            tally.Add(usage);
        }

        return tally.ToReport();
    }

    private static bool InRange(Usage usage, DateOnly? since, DateOnly? until)
        => (since is null || usage.Day >= since) && (until is null || usage.Day < until);

    /// <summary>Event ids seen on more than one line: only their event_id is read.</summary>
    private static HashSet<EventKey> RepeatedIds(List<string> files)
    {
        var seen = new HashSet<EventKey>();
        var repeated = new HashSet<EventKey>();
        foreach (var file in files)
        {
            LedgerBlocks.Read(file, block =>
            {
                var text = block.Span;
                foreach (var line in text.Split((byte)'\n'))
                {
                    if (EventIdOf(text[line]) is { } key && !seen.Add(key))
                    {
                        repeated.Add(key);
                    }
                }
            });
        }

        return repeated;
    }

    private static EventKey? EventIdOf(ReadOnlySpan<byte> line)
    {
        var at = line.IndexOf(EventIdProperty);
        if (at < 0)
        {
            return null;
        }

        var value = line[(at + EventIdProperty.Length)..];
        var close = value.IndexOf((byte)'"');
        return close < 0 ? null : EventKey.From(value[..close]);
    }

    // Cut points at line starts, one slice per core.
    private static int[] SliceBounds(ReadOnlySpan<byte> block, int count)
    {
        var bounds = new int[count + 1];
        bounds[count] = block.Length;
        for (var i = 1; i < count; i++)
        {
            var from = Math.Max(bounds[i - 1], block.Length / count * i);
            var cut = block[from..].IndexOf((byte)'\n');
            bounds[i] = cut < 0 ? block.Length : from + cut + 1;
        }

        return bounds;
    }

    /// <summary>One core's share: a tally of its own, and the usages of repeated ids in the order met.</summary>
    private sealed class Slice(StatsGrouping grouping, HashSet<EventKey> repeated, DateOnly? since, DateOnly? until)
    {
        private List<(EventKey, Usage)> _repeats = [];

        public StatsTally Tally { get; } = new(grouping);

        public void Scan(ReadOnlySpan<byte> text)
        {
            foreach (var range in text.Split((byte)'\n'))
            {
                var line = text[range];
                if (line.Trim((byte)'\r').IsEmpty)
                {
                    continue;
                }

                var read = EventJson.Read(line);
                if (!read.Success)
                {
                    Tally.CorruptLines++;
                    continue;
                }

                if (UsageOf(read.Event, grouping) is not { } usage)
                {
                    continue;
                }

                var key = EventKey.From(read.Event.EventId);
                if (repeated.Contains(key))
                {
                    _repeats.Add((key, usage));
                }
                else if (InRange(usage, since, until))
                {
                    Tally.Add(usage);
                }
            }
        }

        public List<(EventKey, Usage)> TakeRepeats()
        {
            var taken = _repeats;
            _repeats = [];
            return taken;
        }
    }

    private static Usage? UsageOf(IPeriscopeEvent value, StatsGrouping grouping) => value switch
    {
        AssistantMessageEvent m => new Usage(
            grouping switch
            {
                StatsGrouping.Model => $"{m.ProviderId}/{m.ModelId}",
                StatsGrouping.Provider => m.ProviderId,
                StatsGrouping.Day => DayText(m.OccurredAt),
                StatsGrouping.Repo => Repo(m.Git),
                _ => m.SessionId,
            },
            Day(m.OccurredAt), false, m.Tokens.Input, m.Tokens.Output, m.Tokens.Reasoning, m.Tokens.CacheRead, m.Tokens.CacheWrite, m.CostUsd),
        CommitEvent c => new Usage(
            grouping switch
            {
                StatsGrouping.Day => DayText(c.OccurredAt),
                StatsGrouping.Repo => Repo(c.Git),
                StatsGrouping.Session => c.SessionId,
                _ => string.Empty, // a commit has no model or provider: counted in the totals only
            },
            Day(c.OccurredAt), true, 0, 0, 0, 0, 0, 0m),
        _ => null,
    };

    private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    private static string DayText(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Repo(GitContext? git) => git?.RepoUrl ?? git?.RepoName ?? "(no repository)";

    // "2026-11" overlaps [since, until) unless it ends before since or starts at/after until.
    private static bool MonthOverlaps(string name, DateOnly? since, DateOnly? until)
    {
        if (!DateOnly.TryParseExact(name + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
        {
            return true; // not a month file name: read it, the events' own dates decide
        }

        return (since is null || first.AddMonths(1) > since) && (until is null || first < until);
    }
}
