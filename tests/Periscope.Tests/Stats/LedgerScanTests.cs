using Periscope.Platform;
using Periscope.Stats;
using Periscope.Tests.Support;

namespace Periscope.Tests.Stats;

/// <summary>The ledger read for a report: in blocks, in parallel slices, the last line of a repeated id winning.</summary>
public sealed class LedgerScanTests : IDisposable
{
    private static readonly DateTimeOffset s_november = new(2026, 11, 10, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    private StatePaths Paths => new(_temp.Combine("state"));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ALedgerOfManyBlocks_CountsEveryLine_OnceEach()
    {
        // Lines of ~550 bytes: 40,000 of them span three 8 MiB blocks, with lines cut at every block edge.
        const int count = 40_000;
        WriteLedger("2026-11", Enumerable.Range(0, count).Select(i => SpooledEvents.LedgerLine(i, inputTokens: i % 7, s_november)));

        var report = Report(StatsGrouping.Model);

        Assert.True(new FileInfo(LedgerFile("2026-11")).Length > 2 * LedgerBlocks.BlockBytes);
        Assert.Equal(count, report.Totals.Messages);
        Assert.Equal(Enumerable.Range(0, count).Sum(i => (long)(i % 7)), report.Totals.Input);
        Assert.Equal(0, report.CorruptLines);
    }

    [Fact]
    public void ARepeatedEventId_CountsOnce_WithItsLastLine_EvenBlocksApart()
    {
        var filler = Enumerable.Range(10, 20_000).Select(i => SpooledEvents.LedgerLine(i, inputTokens: 1, s_november));
        WriteLedger("2026-10", [SpooledEvents.LedgerLine(1, inputTokens: 1000, s_november.AddMonths(-1))]);
        WriteLedger("2026-11", [SpooledEvents.LedgerLine(1, inputTokens: 2000, s_november), .. filler, SpooledEvents.LedgerLine(1, inputTokens: 5000, s_november)]);

        var report = Report(StatsGrouping.Model);

        Assert.Equal(20_001, report.Totals.Messages);
        Assert.Equal(20_000 + 5000, report.Totals.Input);
    }

    [Fact]
    public void ARepeatedEventId_IsFilteredByTheDayOfItsLastLine()
    {
        WriteLedger("2026-11", [SpooledEvents.LedgerLine(1, inputTokens: 10, s_november), SpooledEvents.LedgerLine(1, inputTokens: 20, s_november.AddDays(5))]);

        var report = LedgerScan.Report(Paths, StatsGrouping.Day, since: null, until: DateOnly.FromDateTime(s_november.AddDays(1).UtcDateTime));

        Assert.Equal(0, report.Totals.Messages);
    }

    [Fact]
    public void ASessionsTotals_AddWhatItsStepsLeftOut_ToItsRows_OnceAndOnlyTheLatest()
    {
        // Two steps of the template (cost 0.00204, input 400) and totals that grew past them: a
        // title request of 300 input tokens and 0.001 USD, with an earlier, smaller total before it.
        var december = s_november.AddMonths(1);
        WriteLedger("2026-11", [SpooledEvents.LedgerLine(1, inputTokens: 400, s_november), Totals(input: 500, cost: 0.003m, s_november)]);
        WriteLedger("2026-12", [SpooledEvents.LedgerLine(2, inputTokens: 400, december), Totals(input: 1100, cost: 0.00508m, december)]);

        var bySession = Assert.Single(Report(StatsGrouping.Session).Rows);
        var byModel = Report(StatsGrouping.Model).Rows.ToDictionary(r => r.Key);
        var december1 = LedgerScan.Report(Paths, StatsGrouping.Session, since: DateOnly.FromDateTime(december.UtcDateTime), until: null);

        Assert.Equal(("ses_df0f0b331ffeDYh50YSwxf08pI", 2L, 1100L, 0.00508m), (bySession.Key, bySession.Messages, bySession.Input, bySession.Cost));
        Assert.Equal((300L, 0.001m, 0L), (byModel[SessionTotals.OutsideSteps].Input, byModel[SessionTotals.OutsideSteps].Cost, byModel[SessionTotals.OutsideSteps].Messages));
        Assert.Equal(0.00408m, Assert.Single(byModel.Values, r => r.Key != SessionTotals.OutsideSteps).Cost);
        // From December on: its step and the part outside steps (dated by the latest totals), not November's step.
        var row = Assert.Single(december1.Rows);
        Assert.Equal((1L, 700L, 0.00304m), (row.Messages, row.Input, row.Cost));
    }

    private static string Totals(long input, decimal cost, DateTimeOffset at)
        => System.Text.Encoding.UTF8.GetString(Periscope.Events.EventJson.Serialize(new Periscope.Events.SessionUsageEvent
        {
            EventId = Periscope.Events.EventIds.For("session_usage", "ses_df0f0b331ffeDYh50YSwxf08pI", $"{input}"),
            OccurredAt = at,
            Client = new Periscope.Events.Client { Name = "periscope", Version = "test", Os = "linux", Arch = "x64" },
            SessionId = "ses_df0f0b331ffeDYh50YSwxf08pI",
            Tokens = new Periscope.Events.SessionTokens { Input = input, Output = 66, Reasoning = 14, CacheRead = 1600, CacheWrite = 0 },
            CostUsd = cost,
        }));

    [Fact]
    public void ALineLongerThanABlock_IsCountedCorrupt_AndTheLinesAroundItCount()
    {
        var huge = new string('x', LedgerBlocks.BlockBytes + 100);
        WriteLedger("2026-11", [SpooledEvents.LedgerLine(1, 1, s_november), huge, SpooledEvents.LedgerLine(2, 2, s_november), "{not json", SpooledEvents.LedgerLine(3, 3, s_november)]);

        var report = Report(StatsGrouping.Model);

        Assert.Equal(3, report.Totals.Messages);
        Assert.Equal(6, report.Totals.Input);
        Assert.Equal(2, report.CorruptLines);
    }

    private StatsReport Report(StatsGrouping grouping) => LedgerScan.Report(Paths, grouping, since: null, until: null);

    private string LedgerFile(string month) => Path.Combine(Paths.Ledger, month + ".jsonl");

    private void WriteLedger(string month, IEnumerable<string> lines) => SpooledEvents.WriteLedger(Paths, month, lines);
}
