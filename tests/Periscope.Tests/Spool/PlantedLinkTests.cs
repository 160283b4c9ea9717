using Periscope.Tests.Support;

namespace Periscope.Tests.Spool;

/// <summary>
/// Symbolic links planted in the state directory, where the ledger and periscope.log are appended
/// to: whoever can write there would otherwise have Periscope append to any file the user can
/// write. The published binary refuses to write through them, and the target stays as it was.
/// </summary>
public sealed class PlantedLinkTests : IDisposable
{
    private const string Victim = "the user's file\n";
    private readonly TempDirectory _temp = new();

    private string Home => _temp.Combine("state");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ALinkAtPeriscopeLog_IsNotWrittenThrough()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "symbolic links anyone can make are Unix's");
        var victim = PlantVictim();
        Directory.CreateDirectory(Home);
        File.CreateSymbolicLink(Path.Combine(Home, "periscope.log"), victim);

        // Input that is not a hook call: the hook logs it.
        var result = PeriscopeBinary.Run(Home, "{not json"u8.ToArray(), "hook", "opencode");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Victim, File.ReadAllText(victim));
    }

    [Fact]
    public void ALinkAtTheLedgersMonthFile_IsNotWrittenThrough_AndTheEventStaysSpooled()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "symbolic links anyone can make are Unix's");
        var victim = PlantVictim();
        Assert.Equal(0, PeriscopeBinary.Run(Home, HookFixtures.AsShimEnvelope(HookFixtures.CompletedAssistantMessages()[0]), "hook", "opencode").ExitCode);
        var spooled = Assert.Single(StateDirectory.SpoolFiles(Home));
        var month = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(spooled))!["occurred_at"]!.GetValue<string>()[..7];
        Directory.CreateDirectory(Path.Combine(Home, "ledger"));
        File.CreateSymbolicLink(Path.Combine(Home, "ledger", month + ".jsonl"), victim);

        var flush = PeriscopeBinary.Run(Home, null, "flush");

        Assert.Equal(1, flush.ExitCode);
        Assert.Contains("symbolic link", flush.Stdout + flush.Stderr, StringComparison.Ordinal);
        Assert.Equal(Victim, File.ReadAllText(victim));
        Assert.Equal([spooled], StateDirectory.SpoolFiles(Home));
    }

    private string PlantVictim()
    {
        var victim = _temp.Combine("victim.txt");
        File.WriteAllText(victim, Victim);
        return victim;
    }
}
