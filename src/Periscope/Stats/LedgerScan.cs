using System.Globalization;
using Periscope.Delivery;
using Periscope.Events;

namespace Periscope.Stats;

/// <summary>
/// Reads the ledger for a report without keeping its events: each line is parsed (in parallel
/// slices of whole lines), reduced to a <see cref="Usage"/> keyed by its event id, and dropped.
/// Slices merge in file order, so the last line of an id wins (a line can repeat after a crash
/// between ledger append and spool delete). Measured: 1M events, see the closing note of the stats work.
/// </summary>
internal static class LedgerScan
{
    public static StatsReport Report(LocalLedger ledger, StatsGrouping grouping, DateOnly? since, DateOnly? until)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var byId = new Dictionary<UInt128, Usage>();
        var byOtherId = new Dictionary<string, Usage>(StringComparer.Ordinal);
        var corrupt = 0;
        foreach (var file in ledger.Files().Where(f => MonthOverlaps(Path.GetFileNameWithoutExtension(f), since, until)))
        {
            foreach (var (entries, bad) in ScanSlices(File.ReadAllBytes(file), grouping))
            {
                corrupt += bad;
                foreach (var (id, text, usage) in entries)
                {
                    if (text is null)
                    {
                        byId[id] = usage;
                    }
                    else
                    {
                        byOtherId[text] = usage;
                    }
                }
            }
        }

        var usages = byId.Values.Concat(byOtherId.Values).Where(u => (since is null || u.Day >= since) && (until is null || u.Day < until));
        return StatsReport.Build(usages, grouping, corrupt);
    }

    private static (List<(UInt128, string?, Usage)> Entries, int Corrupt)[] ScanSlices(byte[] bytes, StatsGrouping grouping)
    {
        var count = bytes.Length < 1 << 20 ? 1 : Environment.ProcessorCount;
        var bounds = new int[count + 1];
        bounds[count] = bytes.Length;
        for (var i = 1; i < count; i++)
        {
            var cut = Array.IndexOf(bytes, (byte)'\n', Math.Max(bounds[i - 1], bytes.Length / count * i));
            bounds[i] = cut < 0 ? bytes.Length : cut + 1;
        }

        var slices = new (List<(UInt128, string?, Usage)>, int)[count];
        Parallel.For(0, count, i => slices[i] = ScanLines(bytes.AsSpan(bounds[i], bounds[i + 1] - bounds[i]), grouping));
        return slices;
    }

    private static (List<(UInt128, string?, Usage)> Entries, int Corrupt) ScanLines(ReadOnlySpan<byte> text, StatsGrouping grouping)
    {
        var entries = new List<(UInt128, string?, Usage)>();
        var keys = new Dictionary<string, string>(StringComparer.Ordinal); // one string per group
        var corrupt = 0;
        while (!text.IsEmpty)
        {
            var end = text.IndexOf((byte)'\n');
            var line = end < 0 ? text : text[..end];
            text = end < 0 ? [] : text[(end + 1)..];
            if (line.Trim((byte)'\r').IsEmpty)
            {
                continue;
            }

            var read = EventJson.Read(line);
            if (!read.Success)
            {
                corrupt++;
                continue;
            }

            if (UsageOf(read.Event, grouping) is { } usage)
            {
                var key = keys.TryGetValue(usage.Key, out var known) ? known : keys[usage.Key] = usage.Key;
                var hex = UInt128.TryParse(read.Event.EventId, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id) && read.Event.EventId.Length == 32;
                entries.Add((hex ? id : default, hex ? null : read.Event.EventId, usage with { Key = key }));
            }
        }

        return (entries, corrupt);
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
