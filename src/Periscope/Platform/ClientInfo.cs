using System.Reflection;
using System.Runtime.InteropServices;
using Periscope.Events;

namespace Periscope.Platform;

/// <summary>Facts about this binary: version (one source: Directory.Build.props), commit, OS and architecture.</summary>
internal static class ClientInfo
{
    public const string Name = "periscope";

    private static readonly string s_informational =
        typeof(ClientInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The product version, e.g. 0.1.0.</summary>
    public static string Version { get; } = s_informational.Split('+')[0];

    /// <summary>The source commit the binary was built from, when the build knew it.</summary>
    public static string Commit { get; } = s_informational.Contains('+', StringComparison.Ordinal) ? s_informational.Split('+')[1] : "unknown";

    /// <summary>Runtime identifier, e.g. linux-x64.</summary>
    public static string RuntimeIdentifier => RuntimeInformation.RuntimeIdentifier;

    public static string OperatingSystemName { get; } =
        OperatingSystem.IsWindows() ? "windows"
        : OperatingSystem.IsMacOS() ? "macos"
        : OperatingSystem.IsLinux() ? "linux"
        : OperatingSystem.IsFreeBSD() ? "freebsd"
        : "unknown";

    public static string Architecture { get; } = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();

    /// <summary>The client block every event carries.</summary>
    public static Client Event { get; } = new()
    {
        Name = Name,
        Version = Version,
        Os = OperatingSystemName,
        Arch = Architecture,
    };
}
