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
