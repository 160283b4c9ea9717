using Periscope.Tests.Support;

namespace Periscope.Tests.Git;

/// <summary>The git capture tests through the published Native AOT binary, as OpenCode runs it.</summary>
public sealed class GitCaptureAotTests : GitCaptureTests
{
    protected override void Hook(byte[] payload, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var variables = new Dictionary<string, string?>(GitRepo.Environment) { ["PERISCOPE_HOME"] = Home };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[name] = value;
        }

        var result = PeriscopeBinary.Run(variables, payload, "hook", "opencode");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout + result.Stderr);
        Assert.Empty(StateDirectory.LogLines(Home));
    }
}
