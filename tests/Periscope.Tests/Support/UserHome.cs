namespace Periscope.Tests.Support;

/// <summary>
/// A user's machine of the test's own, as install and doctor see it: HOME (OpenCode's global
/// config in home/.config/opencode), Periscope's state beside it, and git discovery stopped at
/// its top. <see cref="Environment"/> is what the binary gets for it.
/// </summary>
internal sealed class UserHome : IDisposable
{
    private readonly TempDirectory _temp = new();

    public string Path => _temp.Path;

    public string OpenCodeDirectory => _temp.Combine("home", ".config", "opencode");

    /// <summary>Where OpenCode keeps its database in this home.</summary>
    public string OpenCodeDatabase => _temp.Combine("home", ".local", "share", "opencode", "opencode.db");

    public string Combine(params string[] parts) => _temp.Combine(parts);

    public Dictionary<string, string?> Environment() => new()
    {
        ["HOME"] = _temp.Combine("home"),
        ["XDG_CONFIG_HOME"] = null,
        ["XDG_CACHE_HOME"] = null,
        ["XDG_DATA_HOME"] = null,
        ["OPENCODE_CONFIG"] = null,
        ["PERISCOPE_CONFIG"] = null,
        ["PERISCOPE_HOME"] = _temp.Combine("state"),
        ["GIT_CEILING_DIRECTORIES"] = _temp.Path,
    };

    public void Dispose() => _temp.Dispose();
}
