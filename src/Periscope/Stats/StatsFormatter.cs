using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Periscope.Stats;

/// <summary>A stats report as an aligned table, CSV or JSON.</summary>
internal static class StatsFormatter
{
    private static readonly string[] s_numberHeaders = ["MESSAGES", "INPUT", "OUTPUT", "REASONING", "CACHE READ", "CACHE WRITE", "COST (USD)"];
    private static readonly string[] s_commitHeaders = ["REPOSITORY", "BRANCH", "SESSION", "COMMITTED (UTC)"];
    private static readonly string[] s_commitColumns = ["repo", "branch", "session_id", "committed_at"];

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

        return cells;
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string value)
        => value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
