using Periscope.Platform;
using Periscope.Tests.Support;

namespace Periscope.Tests.Platform;

/// <summary>When a session start may open a sign-in prompt: a desktop, not switched off, outside the cooldown.</summary>
public sealed class SignInPromptTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(new[] { "DISPLAY=:0" }, true)]
    [InlineData(new[] { "WAYLAND_DISPLAY=wayland-0" }, true)]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "DISPLAY=:0", "CI=true" }, false)]
    [InlineData(new[] { "DISPLAY=:0", "SSH_TTY=/dev/pts/1" }, false)]
    [InlineData(new[] { "DISPLAY=:0", "SSH_CONNECTION=10.0.0.1 22 10.0.0.2 22" }, false)]
    public void OnLinux_OnlyADesktopIsPrompted(string[] variables, bool expected)
    {
        Assert.Equal(expected, SignInPrompt.IsDesktop(Variables(variables), OSFamily.Linux));
    }

    [Theory]
    [InlineData("MacOS", new string[0], true)]
    [InlineData("Windows", new string[0], true)]
    [InlineData("MacOS", new[] { "CI=true" }, false)]
    [InlineData("Windows", new[] { "SSH_CONNECTION=10.0.0.1 22 10.0.0.2 22" }, false)]
    [InlineData("MacOS", new[] { "SSH_TTY=/dev/ttys001" }, false)]
    public void OnMacOSAndWindows_NoDisplayVariableIsNeeded_ButCiAndSshStillCount(string os, string[] variables, bool expected)
    {
        Assert.Equal(expected, SignInPrompt.IsDesktop(Variables(variables), Enum.Parse<OSFamily>(os)));
    }

    [Theory]
    [InlineData(30, false)]
    [InlineData(59, false)]
    [InlineData(61, true)]
    public void APromptWaitsOutTheCooldownOfTheLastOne(int minutesLater, bool due)
    {
        var paths = new StatePaths(_temp.Path);
        var prompted = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
        File.WriteAllText(paths.LoginPrompt, "x");
        File.SetLastWriteTimeUtc(paths.LoginPrompt, prompted.UtcDateTime);

        Assert.Equal(due, SignInPrompt.IsDue(paths, Variables(["DISPLAY=:0"]), new FixedTime(prompted.AddMinutes(minutesLater))));
    }

    [Fact]
    public void WithoutAnEarlierPrompt_ItIsDue_UnlessSwitchedOff()
    {
        var paths = new StatePaths(_temp.Path);
        var now = new FixedTime(DateTimeOffset.UnixEpoch.AddYears(56));

        Assert.True(SignInPrompt.IsDue(paths, Variables(["DISPLAY=:0"]), now));
        Assert.False(SignInPrompt.IsDue(paths, Variables(["DISPLAY=:0", "PERISCOPE_LOGIN_PROMPT=off"]), now));
    }

    private static Func<string, string?> Variables(string[] assignments)
    {
        var map = assignments.Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        return name => map.GetValueOrDefault(name);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
