using Periscope.Platform;

namespace Periscope.Tests.Platform;

/// <summary>One rule for HOME and the XDG base directories, used by the state, config and cache lookups alike.</summary>
public sealed class UserDirectoriesTests
{
    [Theory]
    [InlineData("/xdg/config", "/xdg/config")]
    [InlineData("relative/config", "/home/u/.config")]
    [InlineData("", "/home/u/.config")]
    [InlineData(null, "/home/u/.config")]
    public void Xdg_IsUsedWhenAbsolute_ElseTheDefaultUnderHome(string? value, string expected)
    {
        string? Variable(string name) => name switch { "HOME" => "/home/u", "XDG_CONFIG_HOME" => value, _ => null };

        Assert.Equal(expected, UserDirectories.Xdg(Variable, "XDG_CONFIG_HOME", ".config"));
    }

    [Fact]
    public void WithoutHome_TheProfileFolderIsTheHome()
        => Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state"), UserDirectories.Xdg(_ => null, "XDG_STATE_HOME", ".local", "state"));

    [Fact]
    public void TheStateConfigAndCacheLookups_FollowTheSameRule()
    {
        string? Variable(string name) => name switch { "HOME" => "/home/u", "XDG_STATE_HOME" => "relative", "XDG_CONFIG_HOME" => "/cfg", _ => null };

        Assert.Equal("/home/u/.local/state/periscope", StatePaths.Resolve(Variable, OSFamily.Linux).Root);
        Assert.Equal("/cfg/opencode", Periscope.Config.PeriscopeSettings.OpenCodeDirectory(Variable));
    }
}
