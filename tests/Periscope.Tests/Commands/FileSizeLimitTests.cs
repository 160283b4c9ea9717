using Periscope.Tests.Support;

namespace Periscope.Tests.Commands;

/// <summary>
/// The published binary under a file-size limit of 0 (<c>ulimit -f 0</c>), where every write of a
/// byte fails: without SIGXFSZ ignored the kernel ends the process at the first one (exit 153),
/// mid-write, and its temp files stay behind.
/// </summary>
public sealed class FileSizeLimitTests : IDisposable
{
    // bash runs the binary ($0) with its arguments under the limit.
    private static readonly string[] s_limited = ["bash", "-c", "ulimit -f 0 && exec \"$0\" \"$@\""];

    private readonly TempDirectory _temp = new();

    private string Home => _temp.Combine("state");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TheHook_ExitsZero_AndLeavesNoTempFile()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "ulimit -f is Unix's");
        var payload = HookFixtures.AsShimEnvelope(HookFixtures.CompletedAssistantMessages()[0]);

        var result = PeriscopeBinary.RunWith(s_limited, null, new Dictionary<string, string?> { ["PERISCOPE_HOME"] = Home }, payload, "hook", "opencode");

        Assert.Equal((0, string.Empty), (result.ExitCode, result.Stdout + result.Stderr));
        Assert.Empty(StateDirectory.TempFiles(Home));
        Assert.DoesNotContain(Directory.EnumerateFiles(Home, "*", SearchOption.AllDirectories), f => new FileInfo(f).Length == 0);
    }

    [Fact]
    public void TheDeliveryComponent_CannotBeWritten_AndFlushSaysHowMuchSpaceItNeeds()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "ulimit -f is Unix's");

        var result = PeriscopeBinary.RunWith(s_limited, null, new Dictionary<string, string?> { ["PERISCOPE_HOME"] = Home }, null, "flush");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot start the delivery component", result.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"it needs \d+ MB free there", result.Stderr);
        Assert.Empty(Directory.Exists(Home) ? Directory.EnumerateFiles(Home, "*", SearchOption.AllDirectories) : []);
    }
}
