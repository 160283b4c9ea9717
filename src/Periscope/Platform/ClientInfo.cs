using System.Runtime.InteropServices;
using Periscope.Events;

namespace Periscope.Platform;

/// <summary>Facts about this binary: version (one source: Directory.Build.props), commit, OS and architecture.</summary>
internal static class ClientInfo
{
    public const string Name = "periscope";

    /// <summary>The product version, e.g. 0.1.0.</summary>
    public const string Version = BuildInfo.Version;

    /// <summary>The source commit the binary was built from, "unknown" outside a git checkout.</summary>
    public const string Commit = BuildInfo.Commit;

    /// <summary>Runtime identifier, e.g. linux-x64.</summary>
    public static string RuntimeIdentifier => RuntimeInformation.RuntimeIdentifier;

    public static string OperatingSystemName => HostOS.Name;

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
