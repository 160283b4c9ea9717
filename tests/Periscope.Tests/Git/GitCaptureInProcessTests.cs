using Periscope.Capture;
using Periscope.Git;
using Periscope.Platform;
using Periscope.Spool;

namespace Periscope.Tests.Git;

/// <summary>The git capture tests with the capture path called in this process.</summary>
public sealed class GitCaptureInProcessTests : GitCaptureTests
{
    protected override void Hook(byte[] payload, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var paths = new StatePaths(Home);
        var variables = environment ?? new Dictionary<string, string?>();
        var git = new GitEnricher(
            paths,
            name => variables.TryGetValue(name, out var value) ? value : null,
            new CommitDetector(new SessionStateStore(paths), new CommitClaims(paths)),
            fallbackDirectory: null);
        var outcome = new CapturePipeline(new OpenCodeExtractor(TimeProvider.System), git, new SpoolWriter(paths)).Process(payload);
        Assert.True(outcome.Status != CaptureStatus.Failed && outcome.Warning is null, $"{outcome.Detail} {outcome.Warning}");
    }
}
