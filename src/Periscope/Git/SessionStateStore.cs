using Periscope.Events;
using System.Text.Json;
using Periscope.Platform;

namespace Periscope.Git;

/// <summary>
/// Reads and writes sessions/&lt;id&gt;.json atomically, under a per-session lock so two hooks of
/// one session never lose each other's update.
/// </summary>
internal sealed class SessionStateStore(StatePaths paths)
{
    private static readonly TimeSpan s_lockTimeout = TimeSpan.FromSeconds(2);

    private string Directory => Path.Combine(paths.Root, "sessions");

    /// <summary>True when the session has a state file.</summary>
    public bool Exists(string sessionId) => File.Exists(Path.Combine(Directory, FileName(sessionId) + ".json"));

    /// <summary>Every session's state that can be read (a damaged or vanished file is left out); no lock taken.</summary>
    public IEnumerable<SessionGitState> All()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            yield break;
        }

        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
        {
            SessionGitState? state;
            try
            {
                state = Load(path);
            }
            catch (IOException)
            {
                continue; // gone or being replaced meanwhile
            }

            if (state is not null)
            {
                yield return state;
            }
        }
    }

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
            // Refused unless a regular file: a FIFO planted here would block the hook for good.
            return RegularFiles.ReadAllBytes(path) is { } bytes ? SessionGitStateJson.Read(bytes) : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null; // a damaged state file (or a value of the wrong type) starts the session's position afresh
        }
    }

    // The file stays: deleting it would let a waiter lock a new inode while the old one is held.
    private static IDisposable Lock(string path) => ProcessLock.Acquire(path, s_lockTimeout);

    // Session ids are OpenCode's ("ses_..."); anything else is hashed into a safe file name.
    private static string FileName(string sessionId)
        => sessionId.Length is > 0 and <= 128 && sessionId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? sessionId
            : EventIds.For("session-file", sessionId);
}
