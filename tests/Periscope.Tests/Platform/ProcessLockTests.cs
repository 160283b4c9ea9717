using System.Diagnostics;
using Periscope.Platform;

namespace Periscope.Tests.Platform;

public sealed class ProcessLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("periscope-lock-").FullName;

    private string LockFile => Path.Combine(_dir, "session.lock");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Acquire_Free_IsHeldAtOnce_AndExcludesOthers()
    {
        using (ProcessLock.Acquire(LockFile, TimeSpan.FromSeconds(5)))
        {
            Assert.Null(ProcessLock.TryAcquire(LockFile));
        }

        using var again = ProcessLock.TryAcquire(LockFile);
        Assert.NotNull(again);
    }

    [Fact]
    public void Acquire_WaitsForTheHolder_AndHoldsTheLockOnceItIsReleased()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "the blocking wait is flock's");
        var holder = ProcessLock.TryAcquire(LockFile)!;
        using var acquired = new ManualResetEventSlim();
        IDisposable? waited = null;
        var waiter = new Thread(() =>
        {
            waited = ProcessLock.Acquire(LockFile, TimeSpan.FromSeconds(30));
            acquired.Set();
        });
        waiter.Start();

        Assert.False(acquired.Wait(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken), "the waiter got a lock that another holds");
        holder.Dispose();
        Assert.True(acquired.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken), "the waiter was not woken when the holder let go");
        waiter.Join();

        // The waiter holds it now: nobody else gets it until it lets go.
        Assert.Null(ProcessLock.TryAcquire(LockFile));
        waited!.Dispose();
        using var after = ProcessLock.TryAcquire(LockFile);
        Assert.NotNull(after);
    }

    [Fact]
    public async Task AcquireAsync_WaitsForTheHolder_OnEveryOS_AndGivesUpAtTheLimit()
    {
        var holder = ProcessLock.TryAcquire(LockFile)!;
        var waiting = ProcessLock.AcquireAsync(LockFile, TimeSpan.FromSeconds(30), TimeProvider.System, TestContext.Current.CancellationToken);

        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted, "the waiter got a lock that another holds");
        holder.Dispose();
        using (await waiting.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken))
        {
            Assert.Null(ProcessLock.TryAcquire(LockFile));
            var ex = await Assert.ThrowsAsync<IOException>(() => ProcessLock.AcquireAsync(LockFile, TimeSpan.FromMilliseconds(200), TimeProvider.System, TestContext.Current.CancellationToken));
            Assert.Contains(LockFile, ex.Message, StringComparison.Ordinal);
        }

        using var after = await ProcessLock.AcquireAsync(LockFile, TimeSpan.FromSeconds(30), TimeProvider.System, TestContext.Current.CancellationToken);
        Assert.NotNull(after);
    }

    [Fact]
    public void Acquire_HeldPastTheLimit_ThrowsIOException_AndTheWaitGivenUpLeavesTheLockFree()
    {
        var holder = ProcessLock.TryAcquire(LockFile)!;
        var ex = Assert.Throws<IOException>(() => ProcessLock.Acquire(LockFile, TimeSpan.FromMilliseconds(200)));
        Assert.Contains(LockFile, ex.Message, StringComparison.Ordinal);
        holder.Dispose();

        // The abandoned wait may take the lock for an instant when the holder lets go; it gives it
        // straight back, so a new wait gets it.
        using var next = ProcessLock.Acquire(LockFile, TimeSpan.FromSeconds(30));
        Assert.NotNull(next);
    }

    [Fact]
    public void Acquire_AcrossProcesses_WaitsForAnotherProcess()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "flock(1) from util-linux holds the lock from outside");
        File.WriteAllText(LockFile, string.Empty);
        var marker = Path.Combine(_dir, "outside-done");
        using var outside = Process.Start(new ProcessStartInfo("flock", ["--exclusive", LockFile, "sh", "-c", $"sleep 1; echo done > '{marker}'"]) { UseShellExecute = false })!;
        var deadline = Stopwatch.StartNew();
        while (ProcessLock.TryAcquire(LockFile) is { } free)
        {
            free.Dispose(); // flock has not taken it yet
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "flock(1) never took the lock");
            Thread.Yield();
        }

        using var held = ProcessLock.Acquire(LockFile, TimeSpan.FromSeconds(30));
        Assert.True(File.Exists(marker), "the lock was granted while another process held it");
        outside.WaitForExit();
    }
}
