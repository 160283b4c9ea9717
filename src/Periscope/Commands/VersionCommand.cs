using Periscope.Platform;

namespace Periscope.Commands;

/// <summary>periscope --version: version, commit and runtime identifier.</summary>
internal static class VersionCommand
{
    public static string Text => $"periscope {ClientInfo.Version} (commit {ClientInfo.Commit}, {ClientInfo.RuntimeIdentifier})";
}
