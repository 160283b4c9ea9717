using System.Globalization;
using Periscope.Events;
using Periscope.Platform;

namespace Periscope.Stats;

/// <summary>
/// A stats report from the ledger's facts (<see cref="LedgerFacts"/>): each message and commit in
/// the period is added to its group's row, the last line of an event id winning, and so is each
/// session's usage outside its steps (<see cref="SessionTotals"/>), on the day of its latest totals.
/// </summary>
internal static class LedgerScan
{
    public static StatsReport Report(StatePaths paths, StatsGrouping grouping, DateOnly? since, DateOnly? until)
    {
        var tally = new StatsTally(grouping);
        var dayTexts = new Dictionary<DateOnly, string>();
        string DayText(DateOnly day)
        {
            if (!dayTexts.TryGetValue(day, out var text))
            {
                dayTexts[day] = text = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }

            return text;
        }

        var commits = new List<CommitEvent>();
        var totals = new SessionTotals();
        var repos = new Dictionary<string, string>(StringComparer.Ordinal);
        bool InPeriod(string file) => MonthOverlaps(Path.GetFileNameWithoutExtension(file), since, until);
        var (corrupt, _) = LedgerFacts.Visit(
            paths,
            InPeriod,
            (in MessageRecord m, string?[] strings) =>
            {
                totals.AddStep(strings[m.Session]!, m.Input, m.Output, m.Reasoning, m.CacheRead, m.CacheWrite, m.Cost);
                if (grouping == StatsGrouping.Repo && (m.Repo >= 0 ? strings[m.Repo] : m.RepoName >= 0 ? strings[m.RepoName] : null) is { } repo)
                {
                    repos.TryAdd(strings[m.Session]!, repo); // visited last line first: the session's latest repository
                }

                var day = DateOnly.FromDateTime(new DateTime(m.OccurredTicks, DateTimeKind.Utc));
                if (InRange(day, since, until))
                {
                    var key = grouping switch
                    {
                        StatsGrouping.Model => strings[m.Model],
                        StatsGrouping.Provider => strings[m.Provider],
                        StatsGrouping.Day => DayText(day),
                        StatsGrouping.Repo => m.Repo >= 0 ? strings[m.Repo] : m.RepoName >= 0 ? strings[m.RepoName] : null,
                        _ => strings[m.Session],
                    };
                    tally.Add(new Usage(key ?? "(no repository)", day, false, m.Input, m.Output, m.Reasoning, m.CacheRead, m.CacheWrite, m.Cost));
                }
            },
            e =>
            {
                if (e is CommitEvent c)
                {
                    commits.Add(c);
                }
                else if (e is SessionUsageEvent u)
                {
                    totals.AddTotals(u);
                }
            });
        tally.CorruptLines = corrupt;

        if (totals.Any && (since is not null || until is not null))
        {
            // A session's steps in months outside the period still count against its totals.
            var sessions = totals.Sessions.ToHashSet(StringComparer.Ordinal);
            LedgerFacts.Visit(
                paths,
                file => !InPeriod(file),
                (in MessageRecord m, string?[] strings) =>
                {
                    if (sessions.Contains(strings[m.Session]!))
                    {
                        totals.AddStep(strings[m.Session]!, m.Input, m.Output, m.Reasoning, m.CacheRead, m.CacheWrite, m.Cost);
                    }
                },
                _ => { });
        }

        foreach (var (session, _, outside) in totals.Outside())
        {
            if (InRange(outside.Day, since, until))
            {
                tally.Add(outside with
                {
                    Key = grouping switch
                    {
                        StatsGrouping.Model or StatsGrouping.Provider => SessionTotals.OutsideSteps,
                        StatsGrouping.Day => DayText(outside.Day),
                        StatsGrouping.Repo => repos.GetValueOrDefault(session) ?? "(no repository)",
                        _ => session,
                    },
                });
            }
        }

        foreach (var c in commits)
        {
            var day = DateOnly.FromDateTime(c.OccurredAt.UtcDateTime);
            if (InRange(day, since, until))
            {
                tally.Add(new Usage(
                    grouping switch
                    {
                        StatsGrouping.Day => DayText(day),
                        StatsGrouping.Repo => c.Git?.RepoUrl ?? c.Git?.RepoName ?? "(no repository)",
                        StatsGrouping.Session => c.SessionId,
                        _ => string.Empty, // a commit has no model or provider: counted in the totals only
                    },
                    day, true, 0, 0, 0, 0, 0, 0m));
            }
        }

        return tally.ToReport();
    }

    private static bool InRange(DateOnly day, DateOnly? since, DateOnly? until)
        => (since is null || day >= since) && (until is null || day < until);

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
