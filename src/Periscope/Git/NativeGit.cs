using System.Security.Cryptography;
using LibGit2Sharp;
using Periscope.Platform;

namespace Periscope.Git;

/// <summary>
/// libgit2 travels inside the executable (an embedded resource, its SHA-256 fixed at build time).
/// On first use it is written to a private directory named by that hash, verified, renamed into
/// place, and LibGit2Sharp is pointed at it. Reasoning and threat model: docs/libgit2.md.
/// </summary>
internal static class NativeGit
{
    // LibGit2Sharp looks for "git2-<hash>" + the platform extension in GlobalSettings.NativeLibraryPath.
    private const string LibraryBaseName = "git2-5853918";
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

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
            var library = Path.Combine(directory, LibraryBaseName + Extension);
            if (!IsTrusted(directory, library))
            {
                Extract(directory, library);
            }

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

    private static string Extension => OperatingSystem.IsWindows() ? ".dll" : OperatingSystem.IsMacOS() ? ".dylib" : ".so";

    // Trusted: a regular file (no link) of the embedded size, in a directory only the user can
    // write. Its content was verified against the build-time hash when it was written.
    private static bool IsTrusted(string directory, string library)
    {
        var file = new FileInfo(library);
        if (!file.Exists || file.LinkTarget is not null || file.Length != EmbeddedLength())
        {
            return false;
        }

        return OperatingSystem.IsWindows()
            || (File.GetUnixFileMode(directory) == PrivateDirectory && (File.GetUnixFileMode(library) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) == 0);
    }

    private static void Extract(string directory, string library)
    {
        PrivateFiles.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, PrivateDirectory);
        }

        using var resource = Resource();
        var bytes = new byte[resource.Length];
        resource.ReadExactly(bytes);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (hash != BuildInfo.LibGit2Sha256)
        {
            throw new InvalidDataException($"embedded libgit2 hash {hash} does not match the build's {BuildInfo.LibGit2Sha256}");
        }

        var temp = library + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var stream = new FileStream(temp, PrivateFiles.NewFile(FileMode.CreateNew)))
        {
            stream.Write(bytes);
        }

        File.Move(temp, library, overwrite: true);
    }

    private static long EmbeddedLength()
    {
        using var resource = Resource();
        return resource.Length;
    }

    private static Stream Resource()
        => typeof(NativeGit).Assembly.GetManifestResourceStream("libgit2")
           ?? throw new InvalidDataException("this build has no embedded libgit2");
}
