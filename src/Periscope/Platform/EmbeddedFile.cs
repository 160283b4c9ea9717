using System.IO.Compression;
using System.Security.Cryptography;

namespace Periscope.Platform;

/// <summary>
/// A file that travels inside the executable as a resource, its SHA-256 and length fixed at build
/// time: on first use it is written to a private directory named by that hash, verified, and
/// renamed into place; later uses only check that it is still a regular file of that length in a
/// directory only the user can write. Holds libgit2 and the delivery image. Threat model: docs/libgit2.md.
/// </summary>
/// <param name="Resource">The manifest resource name.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file (after decompression).</param>
/// <param name="Length">The file's length in bytes (after decompression).</param>
/// <param name="Gzipped">Whether the resource holds the file gzipped.</param>
/// <param name="Executable">Whether the file is a program (0700) rather than a library (0600).</param>
internal sealed record EmbeddedFile(string Resource, string Sha256, long Length, bool Gzipped, bool Executable)
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The file's path in <paramref name="directory"/>, extracting it first when it is missing or not to be trusted.</summary>
    /// <exception cref="IOException">The directory or file cannot be written.</exception>
    /// <exception cref="InvalidDataException">The embedded bytes do not match the build's hash.</exception>
    public string Ensure(string directory, string fileName)
    {
        var path = Path.Combine(directory, fileName);
        if (!IsTrusted(directory, path))
        {
            Extract(directory, path);
        }

        return path;
    }

    // Trusted: a regular file (no link) of the embedded length, not writable by others, in a
    // directory only the user can write. Its content was verified against the hash when written.
    private bool IsTrusted(string directory, string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists || file.LinkTarget is not null || file.Length != Length)
        {
            return false;
        }

        return HostOS.IsWindows
            || (File.GetUnixFileMode(directory) == PrivateDirectory && (File.GetUnixFileMode(path) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) == 0);
    }

    private void Extract(string directory, string path)
    {
        PrivateFiles.CreateDirectory(directory);
        if (HostOS.IsUnix)
        {
            File.SetUnixFileMode(directory, PrivateDirectory);
        }

        // Streamed: decompressed, hashed and written in pieces, so extracting the delivery image
        // (16 MB) holds 64 KB, not the whole file. A mismatch throws before the rename, and the
        // temporary file goes with it.
        PrivateFiles.WriteAtomically(path, Copy, Executable);
    }

    private void Copy(Stream destination)
    {
        using var resource = typeof(EmbeddedFile).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidDataException($"this build has no embedded {Resource}");
        using var content = Gzipped ? new GZipStream(resource, CompressionMode.Decompress) : resource;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long length = 0;
        int read;
        while ((read = content.Read(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            destination.Write(buffer, 0, read);
            length += read;
        }

        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != Sha256 || length != Length)
        {
            throw new InvalidDataException($"the embedded {Resource} (SHA-256 {actual}) does not match the build's {Sha256}");
        }
    }
}
