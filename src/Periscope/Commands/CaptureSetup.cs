using Periscope.Capture;
using Periscope.Diagnostics;
using Periscope.Platform;
using Periscope.Spool;

namespace Periscope.Commands;

/// <summary>Wires the capture path for the commands that run it (hook, replay).</summary>
internal static class CaptureSetup
{
    public static (CapturePipeline Pipeline, PeriscopeLog Log) Create(bool verbose)
    {
        var paths = StatePaths.Resolve(Environment.GetEnvironmentVariable);
        var time = TimeProvider.System;
        var pipeline = new CapturePipeline(new OpenCodeExtractor(time), new SpoolWriter(paths));
        return (pipeline, new PeriscopeLog(paths, time, echoToStderr: verbose));
    }
}
