using Periscope.Setup;

namespace Periscope.Tests.Setup;

/// <summary>Which OpenCode is installed: the version its --version prints, and whether Periscope supports it.</summary>
public sealed class OpenCodeInstallsTests
{
    // What the real executables print: opencode-ai 1.18.33 and @opencode/cli 2.1.2.
    [Theory]
    [InlineData("1.18.33\n", "1.18.33")]
    [InlineData("opencode v2.1.2\n", "2.1.2")]
    [InlineData("opencode v2.2.0-beta.3\r\n", "2.2.0-beta.3")]
    [InlineData("something else\n", null)]
    [InlineData("", null)]
    public void TheVersion_IsReadFromWhatVersionPrints(string printed, string? version)
        => Assert.Equal(version, OpenCodeInstalls.ParseVersion(printed));

    [Theory]
    [InlineData("1.18.33", null)]
    [InlineData("1.19.0", null)]
    [InlineData("2.1.2", null)]
    [InlineData("1.17.9", "older than 1.18")]
    [InlineData("0.15.2", "older than 1.18")]
    [InlineData("3.0.0", "newer than the majors Periscope knows")]
    [InlineData(null, "did not say its version")]
    public void VersionsOutside1_18And2_x_SayWhy(string? version, string? why)
    {
        var install = new OpenCodeInstall("/usr/local/bin/opencode", version);

        if (why is null)
        {
            Assert.Null(install.Unsupported);
        }
        else
        {
            Assert.Contains(why, install.Unsupported, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryDistinctOpenCodeOnPath_IsFound_WithItsVersion()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("the stand-in executables are shell scripts");
        }

        using var temp = new Support.TempDirectory();
        var first = Directory.CreateDirectory(temp.Combine("a")).FullName;
        var second = Directory.CreateDirectory(temp.Combine("b")).FullName;
        var linked = Directory.CreateDirectory(temp.Combine("c")).FullName;
        WriteScript(Path.Combine(first, "opencode"), "echo 1.18.33");
        WriteScript(Path.Combine(second, "opencode"), "echo 'opencode v2.1.2'");
        File.CreateSymbolicLink(Path.Combine(linked, "opencode"), Path.Combine(first, "opencode"));

        var found = OpenCodeInstalls.Find(name => name == "PATH" ? string.Join(Path.PathSeparator, first, linked, "/nowhere", second) : null);

        Assert.Equal([$"OpenCode 1.18.33 ({first}/opencode)", $"OpenCode 2.1.2 ({second}/opencode)"], found.Select(f => f.ToString()));
    }

    private static void WriteScript(string path, string body)
    {
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
