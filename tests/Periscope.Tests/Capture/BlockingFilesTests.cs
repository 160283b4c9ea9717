using System.Diagnostics;
using Periscope.Events;
using Periscope.Tests.Support;

namespace Periscope.Tests.Capture;

/// <summary>
/// Files the hook reads that anyone who made the repository, or can write the state directory,
/// may have replaced with a FIFO (mkfifo): a plain open of one waits for a writer forever. The
/// published binary, in a real git repository, exits 0 and writes its event all the same; the
/// 30 s limit of <see cref="PeriscopeBinary"/> fails a hook that hangs.
/// </summary>
public sealed class BlockingFilesTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Home => _temp.Combine("state");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("config")]
    [InlineData("HEAD")]
    [InlineData("logs/HEAD")]
    [InlineData("refs/heads/main")]
    [InlineData("packed-refs")]
    public void AFifoInDotGit_NeitherBlocksTheHook_NorLosesTheEvent(string file)
    {
        SkipUnlessFifos();
        var repo = new GitRepo(_temp.Combine("repo"));
        repo.Commit();
        repo.Git("remote add origin https://example.com/acme/widgets.git");
        MakeFifo(Path.Combine(repo.GitDirectory, file));

        Hook(HookCalls.SessionCreated("ses_fifo", repo.Path));
        Hook(HookCalls.MessageCompleted("ses_fifo", "msg_fifo", repo.Path));

        Assert.Single(Events().OfType<SessionEvent>());
        Assert.Single(Events().OfType<AssistantMessageEvent>());
    }

    [Fact]
    public void AFifoAsTheSessionsStateFile_NeitherBlocksTheHook_NorLosesTheEvent()
    {
        SkipUnlessFifos();
        var repo = new GitRepo(_temp.Combine("repo"));
        repo.Commit();
        Directory.CreateDirectory(Path.Combine(Home, "sessions"));
        MakeFifo(Path.Combine(Home, "sessions", "ses_fifo.json"));

        Hook(HookCalls.SessionCreated("ses_fifo", repo.Path));
        Hook(HookCalls.MessageCompleted("ses_fifo", "msg_fifo", repo.Path));

        Assert.Single(Events().OfType<AssistantMessageEvent>());
    }

    // A new commit is read with libgit2, which opens the repository's files itself: with config
    // a FIFO it is not opened at all, and a FIFO in place of the commit's object is given up on at
    // the deadline. Either way the commit is reported, without its counts, and the hook exits 0.
    [Theory]
    [InlineData("config")]
    [InlineData("object")]
    public void ANewCommit_WithAFifoWhereLibgit2Reads_IsReportedWithoutCounts(string where)
    {
        SkipUnlessFifos();
        var repo = new GitRepo(_temp.Combine("repo"));
        repo.Commit();
        Hook(HookCalls.SessionCreated("ses_fifo", repo.Path));
        var sha = repo.Commit();
        MakeFifo(where == "config" ? Path.Combine(repo.GitDirectory, "config") : Path.Combine(repo.GitDirectory, "objects", sha[..2], sha[2..]));

        Hook(HookCalls.MessageCompleted("ses_fifo", "msg_fifo", repo.Path));

        var commit = Assert.Single(Events().OfType<CommitEvent>());
        Assert.Equal(sha, commit.Sha);
        Assert.Null(commit.FilesChanged);
        Assert.Single(Events().OfType<AssistantMessageEvent>());
    }

    private static void SkipUnlessFifos()
        => Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "FIFOs in the file system are Unix's");

    private static void MakeFifo(string path)
    {
        File.Delete(path);
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    private void Hook(byte[] payload)
    {
        var result = PeriscopeBinary.Run(new Dictionary<string, string?>(GitRepo.Environment) { ["PERISCOPE_HOME"] = Home }, payload, "hook", "opencode");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout + result.Stderr);
    }

    private List<IPeriscopeEvent> Events()
        => StateDirectory.SpoolFiles(Home).Select(f => EventJson.Read(File.ReadAllBytes(f)).Event!).ToList();
}
