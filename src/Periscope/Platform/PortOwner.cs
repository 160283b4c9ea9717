using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Periscope.Platform;

/// <summary>
/// Which process listens on a local TCP port, where the OS tells: on Linux from /proc/net/tcp(6)
/// and the processes' open sockets (only the user's own processes are visible). Null elsewhere or
/// when it cannot be told.
/// </summary>
internal static class PortOwner
{
    /// <summary>Null when a loopback listener can take the port; else "in use", with who holds it where the OS tells.</summary>
    public static string? Busy(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
            return null;
        }
        catch (SocketException)
        {
            return Describe(port) is { } owner ? $"in use by {owner}" : "in use";
        }
    }

    public static string? Describe(int port)
    {
        if (!HostOS.IsLinux)
        {
            return null;
        }

        try
        {
            var inodes = new HashSet<string>(StringComparer.Ordinal);
            foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
            {
                if (!File.Exists(table))
                {
                    continue;
                }

                foreach (var line in File.ReadLines(table).Skip(1))
                {
                    // sl local_address rem_address st ... inode: "0: 0100007F:38D6 00000000:0000 0A ... 12345"
                    var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (fields.Length > 9 && fields[3] == "0A"
                        && int.TryParse(fields[1].AsSpan(fields[1].LastIndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var local)
                        && local == port)
                    {
                        inodes.Add($"socket:[{fields[9]}]");
                    }
                }
            }

            foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
            {
                if (Owns(process, inodes))
                {
                    var name = File.ReadAllText(Path.Combine(process, "comm")).Trim();
                    return $"{name} (pid {Path.GetFileName(process)})";
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not told: the caller says the port is taken without naming the process.
        }

        return null;
    }

    private static bool Owns(string process, HashSet<string> inodes)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd"))
                .Any(fd => new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
