using System.Diagnostics;
using System.Text.Json;
using Periscope.Tests.Support;

namespace Periscope.Tests.Commands;

/// <summary>
/// A state directory that is not the user's alone, made so for real: world-writable (chmod 777),
/// owned by another user (chown nobody; the tests run as root in CI), or with a symbolic link in
/// place of the spool. The published binary's hook exits 0 and writes nothing there; doctor,
/// status and flush name the problem and its fix.
/// </summary>
public sealed class StateDirectoryTrustTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Home => _temp.Combine("state");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AWorldWritableStateDirectory_IsRefused_AndDoctorAndStatusSayHowToFixIt()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "Unix file modes");
        Directory.CreateDirectory(Home);
        SetMode(Home, "777");

        AssertHookWritesNothing();
        var (status, detail, fix) = DoctorSpoolCheck();
        Assert.Equal("fail", status);
        Assert.Equal($"the state directory {Home} can be written by group and others (mode 0777): Periscope does not use it, and events go nowhere", detail);
        Assert.Equal($"Run 'chmod 700 {Home}', or set PERISCOPE_HOME to a directory of your own.", fix);
        Assert.Contains($"refused: the state directory {Home} can be written by group and others", PeriscopeBinary.Run(Home, null, "status").Stdout, StringComparison.Ordinal);
        var flush = PeriscopeBinary.Run(Home, null, "flush");
        Assert.Equal(1, flush.ExitCode);
        Assert.Contains("chmod 700", flush.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AStateDirectoryOfAnotherUser_IsRefused()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && Environment.UserName == "root", "chown to another user needs root");
        Directory.CreateDirectory(Home);
        SetMode(Home, "700");
        Run("chown", "nobody", Home);

        AssertHookWritesNothing();
        var (status, detail, fix) = DoctorSpoolCheck();
        Assert.Equal("fail", status);
        Assert.Contains($"the state directory {Home} belongs to another user (uid ", detail, StringComparison.Ordinal);
        Assert.Contains("you are uid 0", detail, StringComparison.Ordinal);
        Assert.Contains("Set PERISCOPE_HOME to a directory of your own", fix, StringComparison.Ordinal);
    }

    [Fact]
    public void ASymbolicLinkInPlaceOfTheSpool_FailsDoctor_AndNothingIsWrittenThroughItByFlush()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "symbolic links anyone can make are Unix's");
        Directory.CreateDirectory(Home);
        SetMode(Home, "700");
        var elsewhere = Directory.CreateDirectory(_temp.Combine("elsewhere")).FullName;
        File.CreateSymbolicLink(Path.Combine(Home, "ledger"), elsewhere);

        var (status, detail, _) = DoctorSpoolCheck();

        Assert.Equal(("fail", $"{Path.Combine(Home, "ledger")} is a symbolic link: Periscope does not write through one"), (status, detail));
        Assert.Equal(1, PeriscopeBinary.Run(Home, null, "flush").ExitCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
    }

    private void AssertHookWritesNothing()
    {
        var result = PeriscopeBinary.Run(Home, HookFixtures.AsShimEnvelope(HookFixtures.CompletedAssistantMessages()[0]), "hook", "opencode");
        Assert.Equal((0, string.Empty), (result.ExitCode, result.Stdout + result.Stderr));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Home));
    }

    private (string Status, string Detail, string? Fix) DoctorSpoolCheck()
    {
        var doctor = PeriscopeBinary.Run(Home, null, "doctor", "--json");
        using var document = JsonDocument.Parse(doctor.Stdout);
        var check = document.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "spool");
        return (check.GetProperty("status").GetString()!, check.GetProperty("detail").GetString()!, check.TryGetProperty("fix", out var fix) ? fix.GetString() : null);
    }

    private static void SetMode(string path, string octal)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(octal, 8));
        }
    }

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
