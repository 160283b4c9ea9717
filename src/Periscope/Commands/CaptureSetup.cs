using Periscope.Capture;
using Periscope.Diagnostics;
using Periscope.Git;
using Periscope.Platform;
using Periscope.Spool;

namespace Periscope.Commands;

/// <summary>Wires the capture path for the commands that run it (hook, replay).</summary>
internal static class CaptureSetup
{
    /// <param name="useWorkingDirectory">Whether a hook call without a directory is looked up in this
    /// process's working directory (the hook: OpenCode's directory) or not at all (replay).</param>
    public static (CapturePipeline Pipeline, PeriscopeLog Log) Create(bool verbose, bool useWorkingDirectory)
    {
        var paths = StatePaths.Resolve(Environment.GetEnvironmentVariable);
        var time = TimeProvider.System;
        var git = new GitEnricher(paths, Environment.GetEnvironmentVariable, new CommitDetector(new SessionStateStore(paths), new CommitClaims(paths)), useWorkingDirectory ? Environment.CurrentDirectory : null);
        var pipeline = new CapturePipeline(new OpenCodeExtractor(time), git, new SpoolWriter(paths));
        return (pipeline, new PeriscopeLog(paths, time, echoToStderr: verbose));
    }
}
