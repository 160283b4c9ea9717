using System.Runtime.InteropServices;

namespace Periscope.Platform;

/// <summary>
/// A lock between processes: an exclusive open of a file (flock on Unix), which the operating
/// system releases when the holder exits, however it exits.
/// </summary>
internal static partial class ProcessLock
{
    private const int LockExclusive = 2; // LOCK_EX
    private const int OpenReadWrite = 2; // O_RDWR
    private const int Interrupted = 4;   // EINTR

    /// <summary>The held lock, or null when another process holds it.</summary>
    public static FileStream? TryAcquire(string path)
    {
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            // Created 0600, like every file of the state.
            var options = PrivateFiles.NewFile(FileMode.OpenOrCreate);
            options.Access = FileAccess.ReadWrite;
            options.Share = FileShare.None;
            return new FileStream(path, options);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// The held lock, waiting up to <paramref name="timeout"/> while another process holds it: the
    /// operating system wakes the waiter when the holder lets go (a blocking flock on Unix), so
    /// nothing polls. Throws <see cref="IOException"/> when the wait runs out.
    /// </summary>
    public static IDisposable Acquire(string path, TimeSpan timeout)
    {
        IDisposable? held = TryAcquire(path);
        if (held is null && HostOS.IsUnix)
        {
            var waiter = new Waiter(path);
            held = waiter.Wait(timeout) ? waiter : null;
        }

        // Windows: no blocking wait here; one more try, and the session's next hook catches up.
        held ??= TryAcquire(path);
        return held ?? throw new IOException($"the lock {path} stayed held for {timeout.TotalSeconds:0.#} s");
    }

    /// <summary>
    /// <see cref="Acquire"/> without holding the caller's thread, and waiting on every OS: where an
    /// exclusive open cannot block (Windows), it tries again every 50 ms until <paramref name="timeout"/>.
    /// </summary>
    public static async Task<IDisposable> AcquireAsync(string path, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (HostOS.IsUnix)
        {
            return await Task.Run(() => Acquire(path, timeout), cancellationToken);
        }

        var deadline = time.GetUtcNow() + timeout;
        FileStream? held;
        while ((held = TryAcquire(path)) is null)
        {
            if (time.GetUtcNow() >= deadline)
            {
                throw new IOException($"the lock {path} stayed held for {timeout.TotalSeconds:0.#} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
        }

        return held;
    }

    // A blocking flock on a thread of its own, so the caller can stop waiting. A wait given up on
    // releases the lock the moment it would have been granted.
    private sealed class Waiter : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly ManualResetEventSlim _granted = new();
        private readonly int _descriptor;
        private bool _abandoned;
        private bool _closed;

        public Waiter(string path)
        {
            _descriptor = Open(path, OpenReadWrite | CloseOnExec());
            if (_descriptor < 0)
            {
                throw new IOException($"cannot open the lock {path} (errno {Marshal.GetLastPInvokeError()})");
            }

            new Thread(Block) { IsBackground = true, Name = "periscope lock wait" }.Start();
        }

        public bool Wait(TimeSpan timeout)
        {
            if (_granted.Wait(timeout))
            {
                return true;
            }

            lock (_gate)
            {
                if (_granted.IsSet)
                {
                    return true;
                }

                _abandoned = true;
                return false;
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (!_closed)
                {
                    _closed = true;
                    _ = Close(_descriptor);
                }
            }

            _granted.Dispose();
        }

        private void Block()
        {
            int result;
            do
            {
                result = FLock(_descriptor, LockExclusive);
            }
            while (result != 0 && Marshal.GetLastPInvokeError() == Interrupted);

            lock (_gate)
            {
                if (_abandoned || result != 0)
                {
                    _closed = true;
                    _ = Close(_descriptor);
                    return;
                }

                _granted.Set();
            }
        }
    }

    private static int CloseOnExec() => HostOS.IsMacOS ? 0x1000000 : 0x80000; // O_CLOEXEC

    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int FLock(int descriptor, int operation);

    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
