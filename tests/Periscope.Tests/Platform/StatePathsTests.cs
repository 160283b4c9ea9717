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
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Assert.Equal("/xdg/periscope", StatePaths.Resolve(Env(("XDG_STATE_HOME", "/xdg"), ("HOME", "/home/u"))).Root);
        Assert.Equal("/home/u/.local/state/periscope", StatePaths.Resolve(Env(("XDG_STATE_HOME", "relative"), ("HOME", "/home/u"))).Root);
        Assert.Equal("/home/u/.local/state/periscope", StatePaths.Resolve(Env(("HOME", "/home/u"))).Root);
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] values)
        => name => values.FirstOrDefault(v => v.Name == name).Value;
}
