using System.Globalization;
using System.Text;
using Periscope.Platform;

namespace Periscope.Diagnostics;

/// <summary>
/// The size-capped log in the state directory. Writing to it never throws: a hook that cannot log
/// still must not fail OpenCode. Lines hold our own words and ids, never payload content.
/// </summary>
internal sealed class PeriscopeLog(StatePaths paths, TimeProvider time, bool echoToStderr)
{
    /// <summary>Past this size the log is moved to periscope.log.1 (replacing it) and starts again.</summary>
    public const long MaxBytes = 1024 * 1024;

    public void Write(string component, string message)
    {
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{time.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffZ} {component}[{Environment.ProcessId}] {message}\n");
        if (echoToStderr)
        {
            Console.Error.Write(line);
        }

        try
        {
            PrivateFiles.CreateDirectory(paths.Root);
            var info = new FileInfo(paths.Log);
            if (info.Exists && info.Length > MaxBytes)
            {
                File.Move(paths.Log, paths.Log + ".1", overwrite: true);
            }

            using var stream = PrivateFiles.OpenAppend(paths.Log);
            stream.Write(Encoding.UTF8.GetBytes(line));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            // Nowhere left to report to (ArgumentOutOfRange: .NET's word for EFBIG); the caller goes on.
        }
    }
}
