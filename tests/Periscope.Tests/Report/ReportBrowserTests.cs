using System.Globalization;
using System.Text.Json;
using Periscope.Events;
using Periscope.Tests.Support;
using PuppeteerSharp;

namespace Periscope.Tests.Report;

/// <summary>
/// periscope report, written by the published binary from a ledger this test writes, loaded in
/// Debian's chromium (headless, through PuppeteerSharp; nothing is downloaded). Every figure the
/// page must show is computed here from the test's own events, not read back from the product.
/// Screenshots go to artifacts/report/ for a person to look at.
/// </summary>
public sealed class ReportBrowserTests : IDisposable
{
    private const string Sonnet = "anthropic/claude-sonnet-4.5";
    private const string Gpt = "openai/gpt-5";
    private static readonly string s_shaA = new('a', 40);
    private static readonly string s_shaB = "b0" + new string('b', 38);
    private static readonly GitContext s_github = new() { RepoUrl = "https://github.com/acme/rocket.git", RepoName = "rocket", Branch = "main", Detached = false, HeadSha = new string('c', 40) };
    private static readonly GitContext s_gitlab = new() { RepoUrl = "https://gitlab.com/acme/docs.git", RepoName = "docs", Branch = "guide", Detached = false, HeadSha = new string('e', 40) };
    private readonly TempDirectory _temp = new();
    private readonly TestEvents _events = new();
    private int _message;

    private string Home => _temp.Combine("state");

    private string Page => _temp.Combine("report.html");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task TheReport_ShowsTheLedgersFigures_DrawsEveryChartFromThem_AndLoadsNothing()
    {
        var (ledger, queued) = Events();
        WriteLedger(ledger, corruptLines: 1);
        FullEvents.Spool(Home, queued);
        var all = ledger.Concat(queued).ToList();

        var result = PeriscopeBinary.Run(Home, null, "report", "--since", "2026-11-01", "--until", "2026-11-07", "-o", Page);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("1 ledger lines or spool files were not valid events", result.Stderr, StringComparison.Ordinal);

        await using var browser = await Chromium.LaunchAsync();
        foreach (var width in new[] { 1400, 390 })
        {
            var (page, errors, requests) = await Chromium.OpenAsync(browser, Page, width);
            await using (page)
            {
                Assert.Empty(errors);
                Assert.Equal([new Uri(Page).AbsoluteUri], requests); // the page itself, nothing else
                var layout = await Json(page, "({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })");
                Assert.True(layout.GetProperty("scroll").GetInt32() <= layout.GetProperty("inner").GetInt32(), $"horizontal scroll at {width} px: {layout}");
                await page.ScreenshotAsync(Screenshot($"report-{width}.png"), new ScreenshotOptions { FullPage = true });
            }
        }

        var (view, _, _) = await Chromium.OpenAsync(browser, Page, 1400);
        await using (view)
        {
            // The system's dark theme: the page follows it.
            await view.EmulateMediaFeaturesAsync([new MediaFeatureValue { MediaFeature = MediaFeature.PrefersColorScheme, Value = "dark" }]);
            Assert.Equal("rgb(18, 22, 29)", await view.EvaluateExpressionAsync<string>("getComputedStyle(document.body).backgroundColor"));
            await view.ScreenshotAsync(Screenshot("report-1400-dark.png"), new ScreenshotOptions { FullPage = true });

            var inPeriod = all.OfType<AssistantMessageEvent>().Where(m => m.OccurredAt >= Day(1) && m.OccurredAt < Day(8)).ToList();
            var previous = all.OfType<AssistantMessageEvent>().Where(m => m.OccurredAt >= Day(-6) && m.OccurredAt < Day(1)).ToList();

            // Totals, and the change against the 7 days before.
            var cards = await Json(view, "Object.fromEntries([...document.querySelectorAll('[data-figure]')].map(c => [c.dataset.figure, [c.dataset.value, c.innerText]]))");
            Assert.Equal(inPeriod.Sum(m => m.CostUsd), Value(cards, "Cost (USD)"));
            Assert.Equal(inPeriod.Count, Value(cards, "Messages"));
            Assert.Equal(inPeriod.Sum(m => m.Tokens.Input + m.Tokens.Output + m.Tokens.Reasoning + m.Tokens.CacheRead + m.Tokens.CacheWrite), Value(cards, "Tokens"));
            Assert.Equal(inPeriod.Select(m => m.SessionId).Distinct().Count(), Value(cards, "Sessions"));
            Assert.Equal(2, Value(cards, "Commits"));
            var change = (inPeriod.Sum(m => m.CostUsd) - previous.Sum(m => m.CostUsd)) / previous.Sum(m => m.CostUsd);
            Assert.Contains(change.ToString("P0", CultureInfo.InvariantCulture), cards.GetProperty("Cost (USD)")[1].GetString(), StringComparison.Ordinal);

            // Cost per day by model: one bar segment per (day, model) with cost, at the height its value asks.
            var bars = await Json(view, "[...document.querySelectorAll('#cost-per-day rect')].map(r => ({ s: r.dataset.series, c: r.dataset.category, v: r.dataset.value, h: r.getAttribute('height') }))");
            var expected = inPeriod.GroupBy(m => (Day: m.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Model: $"{m.ProviderId}/{m.ModelId}"))
                .ToDictionary(g => g.Key, g => g.Sum(m => m.CostUsd));
            Assert.Equal(expected.Count, bars.GetArrayLength());
            var axisMax = AxisMax(inPeriod.GroupBy(m => m.OccurredAt.UtcDateTime.Date).Max(g => g.Sum(m => m.CostUsd)));
            foreach (var bar in bars.EnumerateArray())
            {
                var key = (bar.GetProperty("c").GetString()!, bar.GetProperty("s").GetString()!);
                Assert.Equal(expected[key], decimal.Parse(bar.GetProperty("v").GetString()!, CultureInfo.InvariantCulture));
                Assert.Equal((double)(expected[key] / axisMax) * 222, double.Parse(bar.GetProperty("h").GetString()!, CultureInfo.InvariantCulture), 0.01);
            }

            // Tokens per day by kind, and the cache hit rate.
            var tokenBars = await Json(view, "[...document.querySelectorAll('#tokens-per-day rect')].map(r => [r.dataset.category, r.dataset.series, r.dataset.value])");
            var cacheReads = inPeriod.GroupBy(m => m.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToDictionary(g => g.Key, g => g.Sum(m => m.Tokens.CacheRead));
            foreach (var (day, reads) in cacheReads)
            {
                Assert.Contains(tokenBars.EnumerateArray(), b => b[0].GetString() == day && b[1].GetString() == "Cache read" && b[2].GetString() == reads.ToString(CultureInfo.InvariantCulture));
            }

            var hitRate = (decimal)inPeriod.Sum(m => m.Tokens.CacheRead) / inPeriod.Sum(m => m.Tokens.CacheRead + m.Tokens.Input);
            Assert.Equal(hitRate.ToString("P1", CultureInfo.InvariantCulture), await view.EvaluateExpressionAsync<string>("document.getElementById('cache-hit-rate').innerText"));

            // Models and providers, by cost and by messages.
            var models = await Json(view, "Object.fromEntries([...document.querySelectorAll('#models .by-cost .hbar')].map(b => [b.dataset.series, [b.dataset.value, b.querySelector('.fill').getBoundingClientRect().width / b.querySelector('.track').getBoundingClientRect().width]]))");
            var modelCosts = inPeriod.GroupBy(m => $"{m.ProviderId}/{m.ModelId}").ToDictionary(g => g.Key, g => g.Sum(m => m.CostUsd));
            foreach (var (model, cost) in modelCosts)
            {
                Assert.Equal(cost, decimal.Parse(models.GetProperty(model)[0].GetString()!, CultureInfo.InvariantCulture));
                Assert.Equal((double)(cost / modelCosts.Values.Max()), models.GetProperty(model)[1].GetDouble(), 0.01); // the bar as long as its share
            }

            var messageBars = await Json(view, "Object.fromEntries([...document.querySelectorAll('#models .by-messages .hbar')].map(b => [b.dataset.series, b.dataset.value]))");
            Assert.Equal(inPeriod.Count(m => m.ModelId == "gpt-5").ToString(CultureInfo.InvariantCulture), messageBars.GetProperty(Gpt).GetString());

            Assert.Equal(["anthropic", "openai"], (await Json(view, "[...document.querySelectorAll('#providers tr[data-name]')].map(r => r.dataset.name)")).EnumerateArray().Select(e => e.GetString()!).Order());

            // Commits with the AI cost that led to them: ses_a and its sub-agent before commit A; ses_b before commit B.
            var commits = await Json(view, "Object.fromEntries([...document.querySelectorAll('tr[data-commit]')].map(r => [r.dataset.commit, [r.dataset.cost, r.querySelector('a')?.href ?? '']]))");
            var costA = all.OfType<AssistantMessageEvent>().Where(m => m.SessionId is "ses_a" or "ses_a_sub" && m.CreatedAt <= Day(2).AddHours(10)).Sum(m => m.CostUsd);
            var costB = all.OfType<AssistantMessageEvent>().Where(m => m.SessionId == "ses_b" && m.CreatedAt <= Day(5).AddHours(12)).Sum(m => m.CostUsd);
            Assert.Equal(costA, decimal.Parse(commits.GetProperty(s_shaA)[0].GetString()!, CultureInfo.InvariantCulture));
            Assert.Equal(costB, decimal.Parse(commits.GetProperty(s_shaB)[0].GetString()!, CultureInfo.InvariantCulture));
            Assert.Equal($"https://github.com/acme/rocket/commit/{s_shaA}", commits.GetProperty(s_shaA)[1].GetString());
            Assert.Equal($"https://gitlab.com/acme/docs/-/commit/{s_shaB}", commits.GetProperty(s_shaB)[1].GetString());

            // Sessions: the sub-agent nests under its parent; the queued message is marked.
            var sessions = await Json(view, "[...document.querySelectorAll('#sessions tr[data-session]')].map(r => [r.dataset.session, r.className, r.cells[0].innerText])");
            Assert.Equal(["ses_b", "ses_a", "ses_a_sub"], sessions.EnumerateArray().Select(s => s[0].GetString()!));
            Assert.Equal("sub", sessions[2][1].GetString());
            Assert.EndsWith("◦", sessions[0][2].GetString()!, StringComparison.Ordinal);
            Assert.Contains("1 events still wait in the spool", await view.EvaluateExpressionAsync<string>("document.getElementById('queued').innerText"), StringComparison.Ordinal);
            Assert.Contains("1 ledger lines", await view.EvaluateExpressionAsync<string>("document.getElementById('corrupt').innerText"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnEmptyLedger_GivesAPageThatSaysHowToGetData()
    {
        var result = PeriscopeBinary.Run(Home, null, "report", "-o", Page);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("the ledger is empty", result.Stdout, StringComparison.Ordinal);

        await using var browser = await Chromium.LaunchAsync();
        var (page, errors, requests) = await Chromium.OpenAsync(browser, Page, 390);
        await using (page)
        {
            Assert.Empty(errors);
            Assert.Single(requests);
            var text = await page.EvaluateExpressionAsync<string>("document.getElementById('empty').innerText");
            Assert.Contains("periscope install", text, StringComparison.Ordinal);
            await page.ScreenshotAsync(Screenshot("report-empty-390.png"), new ScreenshotOptions { FullPage = true });
        }
    }

    [Fact]
    public void Open_HandsThePageToTheBrowser()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("$BROWSER is a shell script here");
            throw new System.Diagnostics.UnreachableException();
        }

        var opened = _temp.Combine("opened.txt");
        var browser = _temp.Combine("browser.sh");
        File.WriteAllText(browser, $"#!/bin/sh\nprintf '%s' \"$1\" > '{opened}.tmp' && mv '{opened}.tmp' '{opened}'\n");
        File.SetUnixFileMode(browser, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = PeriscopeBinary.Run(new Dictionary<string, string?> { ["PERISCOPE_HOME"] = Home, ["BROWSER"] = browser }, null, "report", "-o", Page, "--open");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(opened) && DateTime.UtcNow < deadline)
        {
            Thread.Yield();
        }

        Assert.Equal(new Uri(Page).AbsoluteUri, File.ReadAllText(opened));
    }

    private static DateTimeOffset Day(int day) => new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).AddDays(day - 1);

    // 1, 2 or 5 times a power of ten, at or above the largest day's total.
    private static decimal AxisMax(decimal max)
    {
        for (var power = 0.0001m; ; power *= 10)
        {
            foreach (var step in new[] { 1m, 2m, 5m })
            {
                if (step * power >= max)
                {
                    return step * power;
                }
            }
        }
    }

    private static decimal Value(JsonElement cards, string name)
        => decimal.Parse(cards.GetProperty(name)[0].GetString()!, CultureInfo.InvariantCulture);

    private static async Task<JsonElement> Json(IPage page, string expression)
    {
        var text = await page.EvaluateExpressionAsync<string>($"JSON.stringify({expression})");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Screenshot(string name)
    {
        var directory = Path.Combine(PeriscopeBinary.RepoRoot, "artifacts", "report");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }

    private (List<IPeriscopeEvent> Ledger, List<IPeriscopeEvent> Queued) Events()
    {
        List<IPeriscopeEvent> ledger =
        [
            Session("ses_a", "Fix the login redirect", "build", parent: null),
            Session("ses_a_sub", "Find where tokens refresh", "general", parent: "ses_a"),
            Session("ses_b", "Write the install guide", "build", parent: null),
            Message("ses_old", Day(-3).AddHours(9), Sonnet, 2.00m, s_github),
            Message("ses_a", Day(1).AddHours(9), Sonnet, 0.50m, s_github),
            Message("ses_a_sub", Day(1).AddHours(9.5), Gpt, 0.25m, s_github),
            Message("ses_a", Day(2).AddHours(9), Sonnet, 0.125m, s_github),
            Commit("ses_a", Day(2).AddHours(10), s_shaA, s_github),
            Message("ses_b", Day(3).AddHours(14), Sonnet, 1.00m, s_gitlab),
            Message("ses_b", Day(3).AddHours(15), Gpt, 0.10m, s_gitlab),
            Message("ses_b", Day(5).AddHours(11), Sonnet, 0.40m, s_gitlab),
            Commit("ses_b", Day(5).AddHours(12), s_shaB, s_gitlab),
        ];
        List<IPeriscopeEvent> queued = [Message("ses_b", Day(6).AddHours(8), Gpt, 0.05m, s_gitlab)];
        return (ledger, queued);
    }

    private void WriteLedger(IEnumerable<IPeriscopeEvent> events, int corruptLines)
    {
        var ledger = Path.Combine(Home, "ledger");
        Directory.CreateDirectory(ledger);
        var lines = events.Select(e => System.Text.Encoding.UTF8.GetString(EventJson.Serialize(e))).Concat(Enumerable.Repeat("{\"kind\": broken", corruptLines));
        File.WriteAllLines(Path.Combine(ledger, "2026-11.jsonl"), lines);
    }

    private AssistantMessageEvent Message(string session, DateTimeOffset at, string model, decimal cost, GitContext git)
    {
        var tokens = (_message += 1) * 100;
        return _events.Message(session, at, model, cost, new TokenUsage { Input = tokens, Output = tokens / 4, Reasoning = tokens / 10, CacheRead = tokens * 3, CacheWrite = tokens / 20 }, git);
    }

    private CommitEvent Commit(string session, DateTimeOffset at, string sha, GitContext git) => _events.Commit(session, at, sha, git);

    private SessionEvent Session(string session, string title, string agent, string? parent) => _events.Session(session, Day(1), parent, title, agent);
}
