using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Periscope.Stats;

/// <summary>A stats report as an aligned table, CSV or JSON.</summary>
internal static class StatsFormatter
{
    private static readonly string[] s_numberHeaders = ["MESSAGES", "INPUT", "OUTPUT", "REASONING", "CACHE READ", "CACHE WRITE", "COST (USD)"];
    private static readonly string[] s_commitHeaders = ["REPOSITORY", "BRANCH", "SESSION", "COMMITTED (UTC)", "FILES", "LINES +/-"];
    private static readonly string[] s_commitColumns = ["repo", "branch", "session_id", "committed_at", "files_changed", "lines_added", "lines_removed", "diff_partial"];

    public static string Table(StatsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var byCommit = report.Grouping == StatsGrouping.Commit;
        var headers = new List<string> { report.Grouping.ToString().ToUpperInvariant() };
        if (byCommit)
        {
            headers.AddRange(s_commitHeaders);
        }

        headers.AddRange(s_numberHeaders);
        if (report.HasCommits)
        {
            headers.Add("COMMITS");
        }

        if (byCommit)
        {
            headers.Add("USD/1K LINES");
        }

        var lines = report.Rows.Append(report.Totals).Select(r => Cells(r, report.HasCommits, costDecimals: 4, byCommit, shortSha: true)).ToList();
        var widths = headers.Select((h, i) => lines.Select(l => l[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        void Line(IReadOnlyList<string> cells)
        {
            for (var i = 0; i < cells.Count; i++)
            {
                text.Append(i == 0 ? cells[i].PadRight(widths[i]) : "  " + cells[i].PadLeft(widths[i]));
            }

            text.Append('\n');
        }

        Line(headers);
        foreach (var line in lines.Take(lines.Count - 1))
        {
            Line(line);
        }

        text.Append(new string('-', widths.Sum() + (2 * (widths.Length - 1)))).Append('\n');
        Line(lines[^1]);
        if (byCommit && CommitEfficiency.Of(report.Rows) is { PerCommit: not null } efficiency)
        {
            text.Append(CultureInfo.InvariantCulture, $"USD per commit: {efficiency.PerCommit:F4}   USD per 1,000 changed lines: {(efficiency.PerThousandLines is { } k ? k.ToString("F4", CultureInfo.InvariantCulture) : "-")}   commits per USD: {(efficiency.CommitsPerDollar is { } c ? c.ToString("F2", CultureInfo.InvariantCulture) : "-")}\n");
        }

        if (byCommit && report.Share is { Commits: > 0 } share)
        {
            text.Append(CultureInfo.InvariantCulture, $"Commits from AI sessions: {share.FromSessions} of the {share.Commits} made in the period in the {share.Repositories} repositories Periscope saw ({share.Share * 100:0}%; from their reflogs)\n");
        }

        return text.ToString();
    }

    public static string Csv(StatsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var byCommit = report.Grouping == StatsGrouping.Commit;
        var header = new List<string> { report.Grouping.ToString().ToLowerInvariant() };
        if (byCommit)
        {
            header.AddRange(s_commitColumns);
        }

        header.AddRange(["messages", "input_tokens", "output_tokens", "reasoning_tokens", "cache_read_tokens", "cache_write_tokens", "cost_usd"]);
        if (report.HasCommits)
        {
            header.Add("commits");
        }

        if (byCommit)
        {
            header.Add("usd_per_1k_lines");
        }

        var text = new StringBuilder(string.Join(',', header)).Append('\n');
        foreach (var row in report.Rows)
        {
            var cells = Cells(row, report.HasCommits, costDecimals: null, byCommit, shortSha: false);
            text.Append(string.Join(',', cells.Select(Quote))).Append('\n');
        }

        return text.ToString();
    }

    public static string Json(StatsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("by", report.Grouping.ToString().ToLowerInvariant());
            writer.WriteStartArray("rows");
            foreach (var row in report.Rows)
            {
                WriteRow(writer, row, report.HasCommits, withKey: true);
            }

            writer.WriteEndArray();
            writer.WritePropertyName("totals");
            WriteRow(writer, report.Totals, hasCommits: true, withKey: false);
            if (report.Grouping == StatsGrouping.Commit)
            {
                var efficiency = CommitEfficiency.Of(report.Rows);
                writer.WriteStartObject("efficiency");
                Number(writer, "usd_per_commit", efficiency.PerCommit);
                Number(writer, "usd_per_1k_lines", efficiency.PerThousandLines);
                Number(writer, "commits_per_usd", efficiency.CommitsPerDollar);
                writer.WriteNumber("lines_changed", efficiency.LinesChanged);
                if (report.Share is { } share)
                {
                    writer.WriteNumber("repositories_seen", share.Repositories);
                    writer.WriteNumber("commits_in_repositories", share.Commits);
                    writer.WriteNumber("commits_from_sessions", share.FromSessions);
                    Number(writer, "session_commit_share", share.Share);
                }

                writer.WriteEndObject();
            }

            writer.WriteNumber("corrupt_ledger_lines", report.CorruptLines);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteRow(Utf8JsonWriter writer, StatsRow row, bool hasCommits, bool withKey)
    {
        writer.WriteStartObject();
        if (withKey)
        {
            writer.WriteString("key", row.Key);
        }

        if (row.Commit is { } commit)
        {
            writer.WriteString("repo", commit.Repo);
            writer.WriteString("branch", commit.Branch);
            writer.WriteString("session_id", commit.Session);
            writer.WriteString("committed_at", commit.At.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            Number(writer, "files_changed", commit.Files);
            Number(writer, "lines_added", commit.LinesAdded);
            Number(writer, "lines_removed", commit.LinesRemoved);
            if (commit.Partial is { } partial)
            {
                writer.WriteBoolean("diff_partial", partial);
            }
            else
            {
                writer.WriteNull("diff_partial");
            }

            Number(writer, "usd_per_1k_lines", commit.LinesChanged is { } changed ? CommitFacts.PerThousandLines(row.Cost, changed) : null);
        }

        writer.WriteNumber("messages", row.Messages);
        writer.WriteNumber("input_tokens", row.Input);
        writer.WriteNumber("output_tokens", row.Output);
        writer.WriteNumber("reasoning_tokens", row.Reasoning);
        writer.WriteNumber("cache_read_tokens", row.CacheRead);
        writer.WriteNumber("cache_write_tokens", row.CacheWrite);
        writer.WriteNumber("cost_usd", row.Cost);
        if (hasCommits)
        {
            writer.WriteNumber("commits", row.Commits);
        }

        writer.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter writer, string name, decimal? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void Number(Utf8JsonWriter writer, string name, long? value) => Number(writer, name, (decimal?)value);

    private static List<string> Cells(StatsRow row, bool hasCommits, int? costDecimals, bool byCommit, bool shortSha)
    {
        var cells = new List<string> { shortSha && row.Commit is not null && row.Key.Length > 12 ? row.Key[..12] : row.Key };
        if (byCommit)
        {
            var commit = row.Commit;
            cells.AddRange([
                commit?.Repo ?? string.Empty,
                commit?.Branch ?? string.Empty,
                commit?.Session ?? string.Empty,
                commit is null ? string.Empty : commit.At.UtcDateTime.ToString(shortSha ? "yyyy-MM-dd HH:mm" : "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)]);
            if (shortSha)
            {
                // The table: files, and lines as +added/-removed ("*" when only the first files were counted).
                cells.Add(commit?.Files is { } files ? N(files) : string.Empty);
                cells.Add(commit is { LinesAdded: { } added, LinesRemoved: { } removed } ? $"+{N(added)}/-{N(removed)}{(commit.Partial == true ? "*" : string.Empty)}" : string.Empty);
            }
            else
            {
                cells.AddRange([
                    commit?.Files is { } files ? N(files) : string.Empty,
                    commit?.LinesAdded is { } added ? N(added) : string.Empty,
                    commit?.LinesRemoved is { } removed ? N(removed) : string.Empty,
                    commit?.Partial is { } partial ? (partial ? "true" : "false") : string.Empty]);
            }
        }

        cells.AddRange(
        [
            N(row.Messages), N(row.Input), N(row.Output), N(row.Reasoning), N(row.CacheRead), N(row.CacheWrite),
            costDecimals is { } d ? row.Cost.ToString("F" + d, CultureInfo.InvariantCulture) : row.Cost.ToString(CultureInfo.InvariantCulture),
        ]);
        if (hasCommits)
        {
            cells.Add(N(row.Commits));
        }

        if (byCommit)
        {
            var perThousand = row.Commit?.LinesChanged is { } changed ? CommitFacts.PerThousandLines(row.Cost, changed) : null;
            cells.Add(perThousand is { } k ? (costDecimals is { } places ? k.ToString("F" + places, CultureInfo.InvariantCulture) : k.ToString(CultureInfo.InvariantCulture)) : string.Empty);
        }

        return cells;
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string value)
        => value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
