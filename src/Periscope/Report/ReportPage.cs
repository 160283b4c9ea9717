using System.Globalization;
using System.Net;
using System.Text;
using Periscope.Stats;

namespace Periscope.Report;

/// <summary>
/// The report as one self-contained HTML page: inline CSS and SVG, no script, and a
/// Content-Security-Policy that lets the page load nothing at all. Follows the system's light or
/// dark theme and prints on white. Every chart has its numbers in a table beside it.
/// </summary>
internal static class ReportPage
{
    /// <summary>Rows a long table shows; the rest are summed in one line, so the page stays small.</summary>
    public const int MaxRows = 200;

    private const string Style = """
        :root { color-scheme: light dark; --bg: #ffffff; --fg: #1d2330; --muted: #5b6475; --line: #d9dee7; --card: #f5f7fa; --up: #b42318; --down: #067647;
          --s0: #2e6fdb; --s1: #e07b20; --s2: #2a9d6f; --s3: #c0398f; --s4: #7a5bd6; --s5: #b8a21b; --s6: #1b9bb8; --s7: #8a8f99; }
        @media (prefers-color-scheme: dark) { :root { --bg: #12161d; --fg: #e6e9ef; --muted: #9aa3b2; --line: #2c3442; --card: #1b212b; --up: #f97066; --down: #47cd89;
          --s0: #6b9cf0; --s1: #f5a25d; --s2: #5cc79d; --s3: #e57ab8; --s4: #a58ef0; --s5: #dccb52; --s6: #55c3dc; --s7: #b0b5bf; } }
        @media print { :root { --bg: #ffffff; --fg: #000000; --muted: #444444; --card: #ffffff; } section { break-inside: avoid; } }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        main { max-width: 1200px; margin: 0 auto; padding: 16px; }
        h1 { font-size: 22px; margin: 4px 0; } h2 { font-size: 17px; margin: 28px 0 8px; }
        .muted { color: var(--muted); } .note { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
        .card .value { font-size: 22px; font-weight: 600; } .up { color: var(--up); } .down { color: var(--down); }
        .chart { width: 100%; height: auto; display: block; } .chart text { fill: var(--muted); font-size: 12px; } .chart .grid { stroke: var(--line); }
        .s0 { fill: var(--s0); } .s1 { fill: var(--s1); } .s2 { fill: var(--s2); } .s3 { fill: var(--s3); } .s4 { fill: var(--s4); } .s5 { fill: var(--s5); } .s6 { fill: var(--s6); } .s7 { fill: var(--s7); }
        .key { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }
        .k0 { background: var(--s0); } .k1 { background: var(--s1); } .k2 { background: var(--s2); } .k3 { background: var(--s3); } .k4 { background: var(--s4); } .k5 { background: var(--s5); } .k6 { background: var(--s6); } .k7 { background: var(--s7); }
        .scroll { overflow-x: auto; max-width: 100%; }
        table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
        th, td { text-align: right; padding: 4px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
        th:first-child, td:first-child, td.text { text-align: left; } td.text { white-space: normal; min-width: 10em; }
        tr.sub td:first-child { padding-left: 24px; } a { color: var(--s0); }
        details > summary { cursor: pointer; color: var(--muted); margin: 6px 0; }
        .pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 8px 24px; } h3 { font-size: 14px; margin: 8px 0 4px; color: var(--muted); font-weight: 600; }
        .hbar { display: grid; grid-template-columns: minmax(6em, 14em) 1fr auto; gap: 8px; align-items: center; margin: 3px 0; }
        .hbar .name { overflow-wrap: anywhere; } .hbar .track { display: block; height: 14px; } .hbar .fill { display: block; height: 100%; border-radius: 2px; } .hbar .num { color: var(--muted); font-variant-numeric: tabular-nums; }
        @media (max-width: 600px) { .chart text { font-size: 26px; } .hbar { grid-template-columns: minmax(5em, 9em) 1fr auto; } }
        """;

    public static string Write(ReportModel model, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(model);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append(CultureInfo.InvariantCulture, $"<title>Periscope report {Day(model.From)} to {Day(model.To.AddDays(-1))}</title><style>{Style}</style></head><body><main>");
        html.Append(CultureInfo.InvariantCulture, $"<h1>Periscope report</h1><p class=\"muted\">{Day(model.From)} to {Day(model.To.AddDays(-1))} (UTC), against the {model.To.DayNumber - model.From.DayNumber} days before. Made {E(generatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))} UTC from this machine's ledger; nothing on this page came from or goes to the network.</p>");
        if (model.QueuedEvents > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\" id=\"queued\">{model.QueuedEvents} events still wait in the spool (not yet delivered); they are included and marked ◦.</p>");
        }

        if (model.CorruptLines > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\" id=\"corrupt\">{model.CorruptLines} ledger lines or spool files were not valid events and were skipped.</p>");
        }

        if (model.IsEmpty)
        {
            html.Append("<section id=\"empty\"><h2>No data yet</h2><p>The ledger is empty. Periscope records a line for every assistant message once it is installed in OpenCode: run <code>periscope install</code>, restart OpenCode and work as usual, then run <code>periscope report</code> again. <code>periscope doctor</code> checks the setup.</p></section>");
            return html.Append("</main></body></html>\n").ToString();
        }

        Totals(html, model);
        CostPerDay(html, model);
        TokensPerDay(html, model);
        Distribution(html, "models", "Models", model.ByModel);
        Distribution(html, "providers", "Providers", model.ByProvider);
        Repositories(html, model);
        Sessions(html, model);
        Commits(html, model);
        return html.Append("</main></body></html>\n").ToString();
    }

    private static void Totals(StringBuilder html, ReportModel model)
    {
        html.Append("<section id=\"totals\"><h2>Totals</h2><div class=\"cards\">");
        foreach (var figure in model.Totals)
        {
            var value = figure.Name.StartsWith("Cost", StringComparison.Ordinal) ? Usd(figure.Value) : N(figure.Value);
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"card\" data-figure=\"{E(figure.Name)}\" data-value=\"{figure.Value.ToString(CultureInfo.InvariantCulture)}\"><div class=\"muted\">{E(figure.Name)}</div><div class=\"value\">{value}</div><div>{Change(figure)}</div></div>");
        }

        html.Append("</div></section>");
    }

    private static string Change(Figure figure)
    {
        if (figure.Previous == 0)
        {
            return figure.Value == 0 ? "<span class=\"muted\">no change</span>" : "<span class=\"muted\">none the period before</span>";
        }

        var change = (figure.Value - figure.Previous) / figure.Previous;
        var css = change > 0 ? "up" : change < 0 ? "down" : "muted";
        return $"<span class=\"{css}\">{(change > 0 ? "+" : string.Empty)}{change.ToString("P0", CultureInfo.InvariantCulture)}</span> <span class=\"muted\">vs {(figure.Name.StartsWith("Cost", StringComparison.Ordinal) ? Usd(figure.Previous) : N(figure.Previous))}</span>";
    }

    private static void CostPerDay(StringBuilder html, ReportModel model)
    {
        var days = model.Days.Select(d => Day(d.Day)).ToList();
        html.Append("<section id=\"cost-per-day\"><h2>Cost per day, by model</h2>");
        html.Append(SvgChart.StackedBars("Cost per day in USD, stacked by model", days, model.Models, (c, s) => model.Days[c].CostByModel.GetValueOrDefault(model.Models[s]), Usd, UsdTick, MonthDay));
        Legend(html, model.Models);
        html.Append("<details><summary>The numbers</summary><div class=\"scroll\"><table><thead><tr><th>Day</th>");
        foreach (var name in model.Models)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{E(name)}</th>");
        }

        html.Append("<th>Total</th></tr></thead><tbody>");
        foreach (var day in model.Days.Where(d => d.CostByModel.Count > 0))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Day(day.Day)}</td>");
            foreach (var name in model.Models)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td>{Usd(day.CostByModel.GetValueOrDefault(name))}</td>");
            }

            html.Append(CultureInfo.InvariantCulture, $"<td>{Usd(day.CostByModel.Values.Sum())}</td></tr>");
        }

        html.Append("</tbody></table></div></details></section>");
    }

    private static void TokensPerDay(StringBuilder html, ReportModel model)
    {
        string[] kinds = ["Input", "Output", "Reasoning", "Cache read", "Cache write"];
        static long Of(DayFigures d, int kind) => kind switch { 0 => d.Input, 1 => d.Output, 2 => d.Reasoning, 3 => d.CacheRead, _ => d.CacheWrite };
        html.Append(CultureInfo.InvariantCulture, $"<section id=\"tokens-per-day\"><h2>Tokens per day, by kind</h2><p>Cache hit rate: <strong id=\"cache-hit-rate\">{model.CacheHitRate.ToString("P1", CultureInfo.InvariantCulture)}</strong> <span class=\"muted\">(cache reads over all input read)</span></p>");
        html.Append(SvgChart.StackedBars("Tokens per day, stacked by kind", [.. model.Days.Select(d => Day(d.Day))], kinds, (c, s) => Of(model.Days[c], s), N, Short, MonthDay));
        Legend(html, kinds);
        html.Append("<details><summary>The numbers</summary><div class=\"scroll\"><table><thead><tr><th>Day</th>");
        foreach (var kind in kinds)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{kind}</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var day in model.Days.Where(d => d.CostByModel.Count > 0))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Day(day.Day)}</td>");
            for (var k = 0; k < kinds.Length; k++)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td>{N(Of(day, k))}</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table></div></details></section>");
    }

    private static void Distribution(StringBuilder html, string id, string title, IReadOnlyList<Share> shares)
    {
        html.Append(CultureInfo.InvariantCulture, $"<section id=\"{id}\"><h2>{title}, by cost and by messages</h2>");
        html.Append("<div class=\"pair\"><div class=\"by-cost\"><h3>By cost (USD)</h3>");
        html.Append(SvgChart.Bars($"{title} by cost in USD", [.. shares.Select(s => (s.Name, s.Cost))], Usd));
        html.Append("</div><div class=\"by-messages\"><h3>By messages</h3>");
        html.Append(SvgChart.Bars($"{title} by messages", [.. shares.Select(s => (s.Name, (decimal)s.Messages))], N));
        html.Append("</div></div>");
        html.Append("<div class=\"scroll\"><table><thead><tr><th>Name</th><th>Cost (USD)</th><th>Share of cost</th><th>Messages</th></tr></thead><tbody>");
        var total = shares.Sum(s => s.Cost);
        foreach (var share in shares)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr data-name=\"{E(share.Name)}\"><td class=\"text\">{E(share.Name)}</td><td>{Usd(share.Cost)}</td><td>{(total == 0 ? 0m : share.Cost / total).ToString("P1", CultureInfo.InvariantCulture)}</td><td>{N(share.Messages)}</td></tr>");
        }

        html.Append("</tbody></table></div></section>");
    }

    private static void Repositories(StringBuilder html, ReportModel model)
    {
        html.Append("<section id=\"repositories\"><h2>Repositories and branches</h2><div class=\"scroll\"><table><thead><tr><th>Repository @ branch</th><th>Cost (USD)</th><th>Messages</th><th>Commits</th></tr></thead><tbody>");
        foreach (var share in model.ByRepository)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"text\">{E(share.Name)}</td><td>{Usd(share.Cost)}</td><td>{N(share.Messages)}</td><td>{N(share.Commits)}</td></tr>");
        }

        html.Append("</tbody></table></div></section>");
    }

    private static void Sessions(StringBuilder html, ReportModel model)
    {
        html.Append("<section id=\"sessions\"><h2>Sessions</h2><p class=\"muted\">Newest first; sub-agents under the session that started them.</p><div class=\"scroll\"><table><thead><tr><th>Title</th><th>Agent</th><th>Started (UTC)</th><th>Duration</th><th>Messages</th><th>Tokens</th><th>Cost (USD)</th><th>Commits</th></tr></thead><tbody>");
        void Row(SessionLine session, bool sub)
        {
            var title = session.Title is { Length: > 0 } t ? t : session.Id;
            html.Append(CultureInfo.InvariantCulture, $"<tr{(sub ? " class=\"sub\"" : string.Empty)} data-session=\"{E(session.Id)}\"><td class=\"text\">{(sub ? "↳ " : string.Empty)}{E(title)}{(session.Queued ? " ◦" : string.Empty)}</td><td>{E(session.Agent ?? string.Empty)}</td><td>{E(session.Start.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))}</td><td>{Duration(session.End - session.Start)}</td><td>{N(session.Messages)}</td><td>{N(session.Tokens)}</td><td>{Usd(session.Cost)}</td><td>{N(session.Commits)}</td></tr>");
            foreach (var child in session.SubAgents)
            {
                Row(child, sub: true);
            }
        }

        foreach (var session in model.Sessions.Take(MaxRows))
        {
            Row(session, sub: false);
        }

        Rest(html, model.Sessions.Skip(MaxRows).ToList(), "sessions", s => s.Cost, before: 6, after: 1);
        html.Append("</tbody></table></div></section>");
    }

    private static void Commits(StringBuilder html, ReportModel model)
    {
        html.Append("<section id=\"commits\"><h2>Commits and the AI cost that led to them</h2><p class=\"muted\">Newest first. Each commit takes its session's messages (sub-agents included) since the session's previous commit: docs/commit-detection.md, \"Cost per commit\".</p>");
        if (model.Commits.Count == 0)
        {
            html.Append("<p>No commits were made from an OpenCode session in this period.</p></section>");
            return;
        }

        var efficiency = CommitEfficiency.Of([.. model.Commits.Select(c => c.Row)]);
        html.Append(CultureInfo.InvariantCulture, $"<p id=\"commit-efficiency\">AI cost per commit: <strong>{(efficiency.PerCommit is { } perCommit ? Usd(perCommit) : "–")}</strong> · per 1,000 changed lines: <strong>{(efficiency.PerThousandLines is { } perLines ? Usd(perLines) : "–")}</strong> <span class=\"muted\">(over the commits whose lines were counted: {N(efficiency.LinesChanged)} lines)</span> · commits per dollar: <strong>{(efficiency.CommitsPerDollar is { } perDollar ? perDollar.ToString("#,0.##", CultureInfo.InvariantCulture) : "–")}</strong></p>");
        if (model.CommitShare is { Commits: > 0 } share)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p id=\"commit-share\">Commits from AI sessions: <strong>{N(share.FromSessions)} of {N(share.Commits)}</strong> ({share.Share * 100:0}%) made in this period in the {N(share.Repositories)} repositories Periscope saw <span class=\"muted\">(their reflogs: commits made there, not pulled in)</span></p>");
        }
        html.Append("<div class=\"scroll\"><table><thead><tr><th>Commit</th><th>Repository @ branch</th><th>Committed (UTC)</th><th>Messages</th><th>Tokens</th><th>AI cost (USD)</th><th>Lines +/−</th><th>USD / 1K lines</th></tr></thead><tbody>");
        // Newest first; past the cap, the older ones are summed.
        var newest = model.Commits.Reverse().ToList();
        foreach (var line in newest.Take(MaxRows))
        {
            var commit = line.Row.Commit!;
            var sha = E(line.Row.Key.Length > 12 ? line.Row.Key[..12] : line.Row.Key);
            var cell = line.Link is { } link ? $"<a href=\"{E(link.AbsoluteUri)}\">{sha}</a>" : sha;
            var tokens = line.Row.Input + line.Row.Output + line.Row.Reasoning + line.Row.CacheRead + line.Row.CacheWrite;
            html.Append(CultureInfo.InvariantCulture, $"<tr data-commit=\"{E(line.Row.Key)}\" data-cost=\"{line.Row.Cost.ToString(CultureInfo.InvariantCulture)}\"><td><code>{cell}</code>{(line.Queued ? " ◦" : string.Empty)}</td><td class=\"text\">{E(commit.Repo ?? "(no repository)")}{(commit.Branch is { } b ? " @ " + E(b) : string.Empty)}</td><td>{E(commit.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))}</td><td>{N(line.Row.Messages)}</td><td>{N(tokens)}</td><td>{Usd(line.Row.Cost)}</td><td>{Lines(commit)}</td><td>{(commit.LinesChanged is { } changed && CommitFacts.PerThousandLines(line.Row.Cost, changed) is { } perThousand ? Usd(perThousand) : string.Empty)}</td></tr>");
        }

        Rest(html, newest.Skip(MaxRows).ToList(), "commits", c => c.Row.Cost, before: 5, after: 2);
        html.Append("</tbody></table></div></section>");
    }

    // +added/−removed, marked * when only the first files were counted; empty when not counted.
    private static string Lines(CommitFacts commit)
        => commit is { LinesAdded: { } added, LinesRemoved: { } removed }
            ? $"+{N(added)}/−{N(removed)}{(commit.Partial == true ? "*" : string.Empty)}"
            : string.Empty;

    // One line for what a capped table leaves out: how many, and their cost.
    private static void Rest<T>(StringBuilder html, List<T> rest, string what, Func<T, decimal> cost, int before, int after)
    {
        if (rest.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr class=\"rest\"><td class=\"text\" colspan=\"{before}\">… and {N(rest.Count)} more {what}, older</td><td>{Usd(rest.Sum(cost))}</td>{string.Concat(Enumerable.Repeat("<td></td>", after))}</tr>");
        }
    }

    private static void Legend(StringBuilder html, IReadOnlyList<string> names)
    {
        html.Append("<p class=\"legend\">");
        for (var i = 0; i < names.Count; i++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<span><span class=\"key k{i % 8}\"></span>{E(names[i])}</span> &nbsp; ");
        }

        html.Append("</p>");
    }

    private static string Duration(TimeSpan span)
        => span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min" : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes} min" : $"{Math.Max(0, (int)span.TotalSeconds)} s";

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Dollars to four places: AI costs per message are often fractions of a cent.</summary>
    public static string Usd(decimal value) => "$" + value.ToString("#,0.0000", CultureInfo.InvariantCulture);

    public static string N(decimal value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    // Axis ticks: short, since the exact figures are in the tables.
    private static string UsdTick(decimal value) => "$" + value.ToString(value >= 10 ? "#,0" : value >= 0.1m ? "0.##" : "0.####", CultureInfo.InvariantCulture);

    private static string Short(decimal value)
        => value >= 1_000_000 ? (value / 1_000_000).ToString("0.#", CultureInfo.InvariantCulture) + "M"
            : value >= 1_000 ? (value / 1_000).ToString("0.#", CultureInfo.InvariantCulture) + "k"
            : N(value);

    private static string MonthDay(string day) => day.Length == 10 ? day[5..] : day;

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
