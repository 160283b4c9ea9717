using System.Security.Cryptography;
using LibGit2Sharp;
using Periscope.Platform;

namespace Periscope.Git;

/// <summary>
/// libgit2 travels inside the executable (<see cref="EmbeddedFile"/>): on first use it is extracted
/// to a private directory named by its hash and LibGit2Sharp is pointed at it. Reasoning and threat
/// model: docs/libgit2.md.
/// </summary>
internal static class NativeGit
{
    // LibGit2Sharp looks for "git2-<hash>" + the platform extension in GlobalSettings.NativeLibraryPath.
    private const string LibraryBaseName = "git2-5853918";

    private static readonly EmbeddedFile s_library = new("libgit2", BuildInfo.LibGit2Sha256, BuildInfo.LibGit2Length, Gzipped: false, Executable: false);

    private static bool s_configured;

    /// <summary>The directory the library is loaded from.</summary>
    public static string LibraryDirectory(StatePaths paths)
        => Path.Combine(paths.Root, "lib", "libgit2-" + BuildInfo.LibGit2Sha256[..16]);

    /// <summary>Makes libgit2 loadable. Returns false (and the reason) when it cannot be.</summary>
    public static bool TryConfigure(StatePaths paths, out string? problem)
    {
        problem = null;
        if (s_configured)
        {
            return true;
        }

        try
        {
            var directory = LibraryDirectory(paths);
            s_library.Ensure(directory, LibraryBaseName + Extension);
            GlobalSettings.NativeLibraryPath = directory;
            s_configured = true;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or CryptographicException)
        {
            problem = $"cannot prepare libgit2: {ex.Message}";
            return false;
        }
    }

    private static string Extension => HostOS.NativeLibraryExtension;
}
