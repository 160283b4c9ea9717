using Periscope.Diagnostics;
using Periscope.Platform;
using Periscope.Tests.Support;

namespace Periscope.Tests.Diagnostics;

public sealed class PeriscopeLogTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Log_StaysUnderItsCap_KeepingOnePreviousFile()
    {
        var paths = new StatePaths(_temp.Combine("state"));
        var log = new PeriscopeLog(paths, TimeProvider.System, echoToStderr: false);
        var line = new string('x', 1000);

        for (var i = 0; i < 2500; i++)
        {
            log.Write("test", line);
        }

        Assert.True(new FileInfo(paths.Log).Length <= PeriscopeLog.MaxBytes + 1100);
        Assert.True(File.Exists(paths.Log + ".1"));
        Assert.False(File.Exists(paths.Log + ".2"));
    }

    [Fact]
    public void Log_LinesCarryTimeComponentAndProcess()
    {
        var paths = new StatePaths(_temp.Combine("state"));

        new PeriscopeLog(paths, TimeProvider.System, echoToStderr: false).Write("hook", "something happened");

        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z hook\[\d+\] something happened$", File.ReadAllText(paths.Log).TrimEnd('\n'));
    }
}
