using Periscope.Git;
using Periscope.Platform;
using Periscope.Tests.Support;

namespace Periscope.Tests.Git;

/// <summary>The embedded libgit2: one file to install, extracted privately, replaced when tampered with.</summary>
public sealed class NativeGitTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void PublishedArtifact_IsOneExecutable_WithNoLibraryBesideIt()
    {
        var files = Directory.GetFiles(Path.GetDirectoryName(PeriscopeBinary.Path)!);

        Assert.Equal([PeriscopeBinary.Path], files);
    }

    [Fact]
    public void FirstGitUse_ExtractsLibGit2_IntoAUserOnlyDirectory_AndAReplacedLibraryIsRestored()
    {
        var home = _temp.Combine("state");
        var repo = new GitRepo(_temp.Combine("r"));
        repo.Commit();
        var env = new Dictionary<string, string?>(GitRepo.Environment) { ["PERISCOPE_HOME"] = home };

        // A new commit makes the hook read a commit object: the only time libgit2 is loaded.
        Assert.Equal(0, PeriscopeBinary.Run(env, HookCalls.SessionCreated("ses_1", repo.Path), "hook", "opencode").ExitCode);
        repo.Commit();
        Assert.Equal(0, PeriscopeBinary.Run(env, HookCalls.MessageCompleted("ses_1", "m1", repo.Path), "hook", "opencode").ExitCode);

        var directory = NativeGit.LibraryDirectory(new StatePaths(home));
        var library = Assert.Single(Directory.GetFiles(directory));
        var original = File.ReadAllBytes(library);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
            Assert.Equal(0, (int)(File.GetUnixFileMode(library) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)));
        }
        Assert.Empty(StateDirectory.LogLines(home));

        File.WriteAllText(library, "not a library");
        repo.Commit();
        Assert.Equal(0, PeriscopeBinary.Run(env, HookCalls.MessageCompleted("ses_1", "m2", repo.Path), "hook", "opencode").ExitCode);

        Assert.Equal(original, File.ReadAllBytes(library));
        Assert.Empty(StateDirectory.LogLines(home));
        Assert.Equal(2, StateDirectory.SpoolFiles(home).Select(File.ReadAllText).Count(f => f.Contains("\"kind\":\"commit\"", StringComparison.Ordinal)));
    }
}
