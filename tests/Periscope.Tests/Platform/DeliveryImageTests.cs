using System.Text;
using System.Text.Json;
using Periscope.Tests.Support;

namespace Periscope.Tests.Platform;

/// <summary>
/// The installed executable hands worker, flush and status to the delivery image it carries: the
/// hook's image links no HTTP stack, the handed-over command keeps its output and exit code, and the
/// image is extracted privately and restored when replaced.
/// </summary>
public sealed class DeliveryImageTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Home => _temp.Combine("state");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void InstalledExecutable_LinksNoDeliveryStack_AndTheDeliveryImageCarriesNoLibgit2()
    {
        Assert.Equal(0, PeriscopeBinary.Run(Home, null, "status").ExitCode);

        // Type names survive in Native AOT's metadata: Polly is the delivery pipeline, MSAL and its
        // cache extensions the sign-in. The delivery image links LibGit2Sharp for import's commit
        // counts, but not libgit2 itself (2 MB): it loads the copy the installed executable
        // extracts ("packfile" is in libgit2's messages).
        var installed = File.ReadAllBytes(PeriscopeBinary.Path);
        var delivery = File.ReadAllBytes(DeliveryExecutable());
        Assert.False(Contains(installed, "Polly"), "the hook's image links Polly: a delivery command is reachable from the capture side");
        Assert.True(Contains(delivery, "Polly"));
        Assert.False(Contains(installed, "Microsoft.Identity.Client"), "the hook's image links MSAL or its cache extensions");
        Assert.True(Contains(delivery, "Microsoft.Identity.Client.Extensions.Msal"));
        Assert.False(Contains(delivery, "packfile"), "the delivery image embeds libgit2");
        Assert.True(Contains(installed, "LibGit2Sharp"));
    }

    [Fact]
    public void HandedOverCommands_KeepTheirOutputAndExitCodes()
    {
        var status = PeriscopeBinary.Run(Home, null, "status", "--json");
        var usage = PeriscopeBinary.Run(Home, null, "flush", "--now");

        Assert.Equal(0, status.ExitCode);
        Assert.Equal("local", JsonDocument.Parse(status.Stdout).RootElement.GetProperty("mode").GetString());
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("unknown option '--now' for 'flush'", usage.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void DeliveryImage_IsExtractedIntoAUserOnlyDirectory_AndAReplacedImageIsRestored()
    {
        Assert.Equal(0, PeriscopeBinary.Run(Home, null, "status").ExitCode);
        var executable = DeliveryExecutable();
        var original = File.ReadAllBytes(executable);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(executable)!));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(executable));
        }

        File.WriteAllText(executable, "#!/bin/sh\necho replaced\n");
        var status = PeriscopeBinary.Run(Home, null, "status");

        Assert.Equal(0, status.ExitCode);
        Assert.DoesNotContain("replaced", status.Stdout, StringComparison.Ordinal);
        Assert.Equal(original, File.ReadAllBytes(executable));
    }

    [Fact]
    public void AStateDirectoryThatCannotHoldTheImage_IsAClearError()
    {
        var blocked = _temp.Combine("blocked");
        File.WriteAllText(blocked, "a file where the state directory should be");

        var result = PeriscopeBinary.Run(Path.Combine(blocked, "state"), null, "status");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot start the delivery component", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("PERISCOPE_HOME", result.Stderr, StringComparison.Ordinal);
    }

    private string DeliveryExecutable()
        => Assert.Single(Directory.GetFiles(Path.Combine(Home, "lib"), "periscope-delivery*", SearchOption.AllDirectories));

    private static bool Contains(byte[] haystack, string needle)
        => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0 || haystack.AsSpan().IndexOf(Encoding.Unicode.GetBytes(needle)) >= 0;
}
