using System.Runtime.Versioning;

namespace Periscope.Platform;

/// <summary>
/// The one place that asks which operating system this is. Every OS difference (paths, locks,
/// detaching, exec, keychain, browser, port owner, file modes, file names) is in Platform and asks
/// here; the rest of the code asks Platform (a test holds both). Each answer is a constant in a
/// Native AOT build, which folds <see cref="OperatingSystem"/>'s checks for its target, so the seam
/// is chosen once, when the image is built, and costs the hook nothing at start-up.
/// </summary>
internal static class HostOS
{
    public static OSFamily Family => IsWindows ? OSFamily.Windows : IsMacOS ? OSFamily.MacOS : OSFamily.Linux;

    [SupportedOSPlatformGuard("windows")]
    public static bool IsWindows => OperatingSystem.IsWindows();

    /// <summary>Not Windows: Unix file modes, exec, posix_spawn.</summary>
    [UnsupportedOSPlatformGuard("windows")]
    public static bool IsUnix => !OperatingSystem.IsWindows();

    [SupportedOSPlatformGuard("macos")]
    public static bool IsMacOS => OperatingSystem.IsMacOS();

    [SupportedOSPlatformGuard("linux")]
    public static bool IsLinux => OperatingSystem.IsLinux();

    /// <summary>The name events carry: windows, macos, linux, freebsd or unknown.</summary>
    public static string Name =>
        OperatingSystem.IsWindows() ? "windows"
        : OperatingSystem.IsMacOS() ? "macos"
        : OperatingSystem.IsLinux() ? "linux"
        : OperatingSystem.IsFreeBSD() ? "freebsd"
        : "unknown";

    /// <summary>An executable's file name: <c>periscope</c>, or <c>periscope.exe</c> on Windows.</summary>
    public static string ExecutableName(string name) => IsWindows ? name + ".exe" : name;

    /// <summary>A native library's file name ending: .dll, .dylib or .so.</summary>
    public static string NativeLibraryExtension => IsWindows ? ".dll" : IsMacOS ? ".dylib" : ".so";
}
