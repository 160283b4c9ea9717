using System.Text.Json;
using Periscope.Platform;

namespace Periscope.Git;

/// <summary>
/// Reads and writes sessions/&lt;id&gt;.json atomically, under a per-session lock so two hooks of
/// one session never lose each other's update.
/// </summary>
internal sealed class SessionStateStore(StatePaths paths, TimeProvider time)
{
    private static readonly TimeSpan s_lockTimeout = TimeSpan.FromSeconds(2);

    private string Directory => Path.Combine(paths.Root, "sessions");

    /// <summary>True when the session has a state file.</summary>
    public bool Exists(string sessionId) => File.Exists(Path.Combine(Directory, FileName(sessionId) + ".json"));

    /// <summary>Runs <paramref name="update"/> on the session's state under its lock and saves it.</summary>
    public T Update<T>(string sessionId, Func<SessionGitState?, (SessionGitState State, T Result)> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        PrivateFiles.CreateDirectory(Directory);
        var name = FileName(sessionId);
        using var held = Lock(Path.Combine(Directory, name + ".lock"));
        var path = Path.Combine(Directory, name + ".json");
        var (state, result) = update(Load(path));
        PrivateFiles.WriteAtomically(path, stream => SessionGitStateJson.Write(stream, state));
        return result;
    }

    private static SessionGitState? Load(string path)
    {
        try
        {
            return File.Exists(path) ? SessionGitStateJson.Read(File.ReadAllBytes(path)) : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null; // a damaged state file (or a value of the wrong type) starts the session's position afresh
        }
    }

    // An exclusive open is the lock (flock on Unix); another hook of the session retries briefly.
    // The file stays: deleting it would let a waiter lock a new inode while the old one is held.
    private FileStream Lock(string path)
    {
        var deadline = time.GetUtcNow() + s_lockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None });
            }
            catch (IOException) when (time.GetUtcNow() < deadline)
            {
                Task.Delay(TimeSpan.FromMilliseconds(3), time).Wait();
            }
        }
    }

    // Session ids are OpenCode's ("ses_..."); anything else is hashed into a safe file name.
    private static string FileName(string sessionId)
        => sessionId.Length is > 0 and <= 128 && sessionId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? sessionId
            : Capture.EventIds.For("session-file", sessionId);
}
