using Periscope.Platform;

namespace Periscope.Tests.Platform;

public sealed class StatePathsTests
{
    [Fact]
    public void PeriscopeHome_WinsOverEverything()
    {
        var paths = StatePaths.Resolve(Env(("PERISCOPE_HOME", "/srv/periscope"), ("XDG_STATE_HOME", "/xdg"), ("HOME", "/home/u")));

        Assert.Equal("/srv/periscope", paths.Root);
        Assert.Equal("/srv/periscope/spool", paths.Spool);
        Assert.Equal("/srv/periscope/spool/tmp", paths.SpoolTemp);
        Assert.Equal("/srv/periscope/periscope.log", paths.Log);
    }

    [Fact]
    public void OnLinux_XdgStateHome_IsUsed_WhenAbsolute()
    {
        Assert.Equal("/xdg/periscope", StatePaths.Resolve(Env(("XDG_STATE_HOME", "/xdg"), ("HOME", "/home/u")), OSFamily.Linux).Root);
        Assert.Equal("/home/u/.local/state/periscope", StatePaths.Resolve(Env(("XDG_STATE_HOME", "relative"), ("HOME", "/home/u")), OSFamily.Linux).Root);
        Assert.Equal("/home/u/.local/state/periscope", StatePaths.Resolve(Env(("HOME", "/home/u")), OSFamily.Linux).Root);
    }

    [Fact]
    public void OnMacOS_ApplicationSupport_UnderHome_AndXdgIsIgnored()
    {
        var paths = StatePaths.Resolve(Env(("XDG_STATE_HOME", "/xdg"), ("HOME", "/Users/u")), OSFamily.MacOS);

        Assert.Equal(Path.Combine("/Users/u", "Library", "Application Support", "Periscope"), paths.Root);
    }

    [Fact]
    public void OnWindows_LocalAppData_AndXdgIsIgnored()
    {
        var paths = StatePaths.Resolve(Env(("LOCALAPPDATA", "/c/Users/u/AppData/Local"), ("XDG_STATE_HOME", "/xdg"), ("HOME", "/c/Users/u")), OSFamily.Windows);

        Assert.Equal(Path.Combine("/c/Users/u/AppData/Local", "Periscope"), paths.Root);
    }

    [Theory]
    [InlineData("Linux")]
    [InlineData("MacOS")]
    [InlineData("Windows")]
    public void PeriscopeHome_WinsOnEveryOS(string os)
    {
        Assert.Equal("/srv/periscope", StatePaths.Resolve(Env(("PERISCOPE_HOME", "/srv/periscope"), ("LOCALAPPDATA", "/l"), ("HOME", "/h")), Enum.Parse<OSFamily>(os)).Root);
    }

    [Fact]
    public void TheRunningOS_IsTheOneResolveFollows()
    {
        var variables = Env(("XDG_STATE_HOME", "/xdg"), ("HOME", "/home/u"), ("LOCALAPPDATA", "/local"));

        Assert.Equal(StatePaths.Resolve(variables, HostOS.Family), StatePaths.Resolve(variables));
        Assert.Equal(
            OperatingSystem.IsWindows() ? OSFamily.Windows : OperatingSystem.IsMacOS() ? OSFamily.MacOS : OSFamily.Linux,
            HostOS.Family);
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] values)
        => name => values.FirstOrDefault(v => v.Name == name).Value;
}
