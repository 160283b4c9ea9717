namespace Periscope.Platform;

/// <summary>The <see cref="OSFamily"/> this process runs on: a constant in each Native AOT build.</summary>
internal static class HostOS
{
    public static OSFamily Family => OperatingSystem.IsWindows() ? OSFamily.Windows : OperatingSystem.IsMacOS() ? OSFamily.MacOS : OSFamily.Linux;
}
