using System.Text;
using Periscope.Events;
using Periscope.Platform;
using Periscope.Stats;
using Periscope.Tests.Support;

namespace Periscope.Tests.Stats;

/// <summary>
/// The ledger index: each ledger line is parsed once, later runs read what the index holds and parse
/// only lines added since; an index that does not match its file, or is damaged, is not trusted.
/// </summary>
public sealed class LedgerIndexTests : IDisposable
{
    private static readonly DateTimeOffset s_november = new(2026, 11, 10, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private readonly TestEvents _events = new();

    private StatePaths Paths => new(_temp.Combine("state"));

    private string Ledger => Path.Combine(Paths.Ledger, "2026-11.jsonl");

    private string Index => Path.Combine(Paths.LedgerIndex, "2026-11.jsonl.facts");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ASecondRun_ParsesNoLine_AndReadsTheSameFacts()
    {
        var commit = Commit();
        var session = Session();
        Write([.. Messages(0, 500), Json(commit), "{not json", Json(session)]);

        var first = Load();
        var second = Load();

        Assert.Equal(503, first.LinesParsed);
        Assert.Equal(0, second.LinesParsed);
        Assert.True(File.Exists(Index));
        foreach (var facts in new[] { first, second })
        {
            Assert.Equal(500, facts.Messages.Count);
            Assert.Equal(Enumerable.Range(0, 500).Sum(i => (long)(i % 7)), facts.Messages.Sum(m => m.Usage.Input));
            Assert.Equal(1, facts.CorruptLines);
            Assert.Equal([commit.EventId, session.EventId], facts.Others.Select(e => e.EventId));
        }

        Assert.Equal(first.Messages, second.Messages);
    }

    [Fact]
    public void LinesAppendedAfterARun_AreTheOnlyOnesParsed_AndTheLastLineOfAnIdWins()
    {
        Write(Messages(0, 300));
        Load();

        // The same id again, later in the file: its new numbers replace the indexed ones.
        File.AppendAllText(Ledger, string.Join('\n', Messages(300, 20).Append(SpooledEvents.LedgerLine(5, inputTokens: 1000, s_november))) + "\n");
        var facts = Load();

        Assert.Equal(21, facts.LinesParsed);
        Assert.Equal(320, facts.Messages.Count);
        Assert.Equal(Enumerable.Range(0, 320).Sum(i => (long)(i % 7)) - 5 + 1000, facts.Messages.Sum(m => m.Usage.Input));
        Assert.Equal(0, Load().LinesParsed);
    }

    [Fact]
    public void AnUnfinishedLastLine_CountsEveryRun_ButIsNotIndexed_UntilItsNewlineComes()
    {
        Write(Messages(0, 10));
        File.AppendAllText(Ledger, SpooledEvents.LedgerLine(10, inputTokens: 3, s_november));

        Assert.Equal(11, Load().Messages.Count);
        var again = Load();
        Assert.Equal(1, again.LinesParsed);
        Assert.Equal(11, again.Messages.Count);

        File.AppendAllText(Ledger, "\n");
        Assert.Equal(1, Load().LinesParsed);
        Assert.Equal(0, Load().LinesParsed);
    }

    [Fact]
    public void ALedgerFileRewritten_IsParsedWhole_NotReadFromItsOldIndex()
    {
        Write(Messages(0, 200));
        Load();

        // The same length and the same first bytes, different numbers near the end.
        var lines = Messages(0, 200).ToArray();
        lines[199] = SpooledEvents.LedgerLine(199, inputTokens: 9, s_november);
        Assert.Equal(Messages(0, 200).Sum(l => l.Length), lines.Sum(l => l.Length));
        Write(lines);
        var facts = Load();

        Assert.Equal(200, facts.LinesParsed);
        Assert.Equal(Enumerable.Range(0, 199).Sum(i => (long)(i % 7)) + 9, facts.Messages.Sum(m => m.Usage.Input));

        // Shorter than what the index covers.
        Write(Messages(0, 50));
        Assert.Equal(50, Load().Messages.Count);
    }

    [Fact]
    public void RepeatedIds_OfEitherForm_CountOnce_WithTheirLastLine_WithinAFileAndAcrossFiles()
    {
        // A text id (not 32 hex digits) and a numeric one, each repeated in its file and in the next month's.
        static string WithId(string line, string id) => System.Text.RegularExpressions.Regex.Replace(line, "\"event_id\":\"[^\"]*\"", $"\"event_id\":\"{id}\"");
        Write([WithId(SpooledEvents.LedgerLine(1, inputTokens: 1, s_november), "evt-text"), SpooledEvents.LedgerLine(2, inputTokens: 2, s_november),
            WithId(SpooledEvents.LedgerLine(3, inputTokens: 3, s_november), "evt-text"), SpooledEvents.LedgerLine(2, inputTokens: 4, s_november)]);
        Load();
        File.WriteAllText(Path.Combine(Paths.Ledger, "2026-12.jsonl"), SpooledEvents.LedgerLine(2, inputTokens: 50, s_november.AddMonths(1)) + "\n");

        var facts = Load();

        Assert.Equal(2, facts.Messages.Count);
        Assert.Equal(3 + 50, facts.Messages.Sum(m => m.Usage.Input));
        Assert.Equal(3 + 50, LedgerScan.Report(Paths, StatsGrouping.Model, since: null, until: null).Totals.Input);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("garbage")]
    [InlineData("grown")]
    public void ADamagedIndex_IsNotTrusted_AndIsWrittenAgain(string damage)
    {
        Write(Messages(0, 100));
        Load();
        var bytes = File.ReadAllBytes(Index);
        File.WriteAllBytes(Index, damage switch
        {
            "truncated" => bytes[..(bytes.Length / 2)],
            "garbage" => [.. Enumerable.Repeat((byte)0x5a, bytes.Length)],
            _ => [.. bytes, 1, 2, 3],
        });

        var facts = Load();

        Assert.Equal(100, facts.LinesParsed);
        Assert.Equal(100, facts.Messages.Count);
        Assert.Equal(0, Load().LinesParsed);
    }

    [Fact]
    public void TheIndex_IsReadableByTheUserAlone()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes");
            throw new System.Diagnostics.UnreachableException();
        }

        Write(Messages(0, 3));
        Load();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Index));
    }

    [Fact]
    public void StatsFromTheIndex_EqualStatsFromAFreshParse()
    {
        Write([.. Messages(0, 400), Json(Commit())]);
        var fresh = LedgerScan.Report(Paths, StatsGrouping.Session, since: null, until: null);
        var indexed = LedgerScan.Report(Paths, StatsGrouping.Session, since: null, until: null);

        Assert.Equal(0, Load().LinesParsed);
        Assert.Equal(fresh.Rows.Select(r => (r.Key, r.Messages, r.Input, r.Cost, r.Commits)), indexed.Rows.Select(r => (r.Key, r.Messages, r.Input, r.Cost, r.Commits)));
        Assert.Equal(1, indexed.Totals.Commits);
    }

    private LedgerFacts Load() => LedgerFacts.Load(Paths, new NamePool());

    private static IEnumerable<string> Messages(int first, int count)
        => Enumerable.Range(first, count).Select(i => SpooledEvents.LedgerLine(i, inputTokens: i % 7, s_november));

    // Ids of their own: the messages' ids are their numbers.
    private CommitEvent Commit() => _events.Commit("ses_index", s_november, new string('a', 40), git: null) with { EventId = new string('c', 32) };

    private SessionEvent Session() => _events.Session("ses_index", s_november, parent: null) with { EventId = new string('d', 32) };

    private static string Json(IPeriscopeEvent value) => Encoding.UTF8.GetString(EventJson.Serialize(value));

    private void Write(IEnumerable<string> lines) => SpooledEvents.WriteLedger(Paths, "2026-11", lines);
}
