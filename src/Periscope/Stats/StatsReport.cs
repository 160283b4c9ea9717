using Periscope.Events;

namespace Periscope.Stats;

/// <summary>
/// Cost, tokens of each kind, messages and commits, grouped by model, provider, day, repository or
/// session, from the ledger's events. Commits count where they can be placed: by day, repository
/// and session (a commit has no model).
/// </summary>
internal sealed record StatsReport(StatsGrouping Grouping, IReadOnlyList<StatsRow> Rows, StatsRow Totals, int CorruptLines)
{
    /// <summary>Whether the commits column means anything for this grouping.</summary>
    public bool HasCommits => Grouping is StatsGrouping.Day or StatsGrouping.Repo or StatsGrouping.Session;

    public static StatsReport Build(LedgerEvents ledger, StatsGrouping grouping)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var rows = new Dictionary<string, StatsRow>(StringComparer.Ordinal);
        var totals = new StatsRow("total");
        StatsRow Row(string key) => rows.TryGetValue(key, out var row) ? row : rows[key] = new StatsRow(key);

        foreach (var value in ledger.Events)
        {
            switch (value)
            {
                case AssistantMessageEvent message:
                    foreach (var row in new[] { Row(KeyOf(message, grouping)), totals })
                    {
                        row.Messages++;
                        row.Input += message.Tokens.Input;
                        row.Output += message.Tokens.Output;
                        row.Reasoning += message.Tokens.Reasoning;
                        row.CacheRead += message.Tokens.CacheRead;
                        row.CacheWrite += message.Tokens.CacheWrite;
                        row.Cost += message.CostUsd;
                    }

                    break;
                case CommitEvent commit:
                    totals.Commits++;
                    if (grouping is StatsGrouping.Day or StatsGrouping.Repo or StatsGrouping.Session)
                    {
                        Row(KeyOf(commit, grouping)).Commits++;
                    }

                    break;
            }
        }

        var ordered = grouping == StatsGrouping.Day
            ? rows.Values.OrderBy(r => r.Key, StringComparer.Ordinal).ToList()
            : rows.Values.OrderByDescending(r => r.Cost).ThenByDescending(r => r.Commits).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
        return new StatsReport(grouping, ordered, totals, ledger.CorruptLines);
    }

    private static string KeyOf(AssistantMessageEvent message, StatsGrouping grouping) => grouping switch
    {
        StatsGrouping.Model => $"{message.ProviderId}/{message.ModelId}",
        StatsGrouping.Provider => message.ProviderId,
        StatsGrouping.Day => Day(message.OccurredAt),
        StatsGrouping.Repo => Repo(message.Git),
        _ => message.SessionId,
    };

    private static string KeyOf(CommitEvent commit, StatsGrouping grouping) => grouping switch
    {
        StatsGrouping.Day => Day(commit.OccurredAt),
        StatsGrouping.Repo => Repo(commit.Git),
        _ => commit.SessionId,
    };

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Repo(GitContext? git) => git?.RepoUrl ?? git?.RepoName ?? "(no repository)";
}
