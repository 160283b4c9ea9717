using System.Text.Json;
using Periscope.Spool;

namespace Periscope.Capture;

/// <summary>
/// The hook's whole job for one payload: parse -> extract -> spool. Never throws for bad input
/// or an unwritable spool; the outcome says what happened.
/// </summary>
internal sealed class CapturePipeline(OpenCodeExtractor extractor, SpoolWriter spool)
{
    public CaptureOutcome Process(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty || payload.Trim(" \t\r\n"u8).IsEmpty)
        {
            return new(CaptureStatus.Failed, "empty input");
        }

        HookEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(payload, OpenCodeJsonContext.Default.HookEnvelope);
        }
        catch (JsonException ex)
        {
            // The message names a JSON path and position, never a value.
            return new(CaptureStatus.Failed, $"input is not a hook envelope: {Describe(ex)}");
        }

        if (envelope is null)
        {
            return new(CaptureStatus.Failed, "input is JSON null, not a hook envelope");
        }

        var extraction = extractor.Extract(envelope);
        if (extraction.Event is not { } value)
        {
            return new(extraction.IsProblem ? CaptureStatus.Failed : CaptureStatus.Ignored, extraction.Reason);
        }

        var problems = value.Validate();
        if (problems.Count > 0)
        {
            return new(CaptureStatus.Failed, $"{value.Kind} event is invalid: {string.Join("; ", problems)}", value.Kind);
        }

        try
        {
            var path = spool.Write(value);
            return new(CaptureStatus.Written, $"wrote {Path.GetFileName(path)}", value.Kind, value.EventId);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new(CaptureStatus.Failed, $"cannot write the spool: {ex.GetType().Name}: {ex.Message}", value.Kind, value.EventId);
        }
    }

    private static string Describe(JsonException ex)
    {
        var where = ex.Path is { Length: > 0 } path ? $" at {path}" : string.Empty;
        var line = ex.LineNumber is { } l ? $" (line {l + 1}, byte {ex.BytePositionInLine + 1})" : string.Empty;
        return $"malformed or unexpected JSON{where}{line}";
    }
}
