using System.Text.Json;
using Periscope.Events;
using Periscope.Git;
using Periscope.Platform;
using Periscope.Spool;

namespace Periscope.Capture;

/// <summary>
/// The hook's whole job for one payload: parse -> extract -> enrich (git) -> spool. Never throws for
/// bad input, a broken repository or an unwritable spool; the outcome says what happened.
/// </summary>
internal sealed class CapturePipeline(OpenCodeExtractor extractor, GitEnricher git, SpoolWriter spool)
{
    public CaptureOutcome Process(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty || payload.Trim(" \t\r\n"u8).IsEmpty)
        {
            return CaptureOutcome.Failed("empty input");
        }

        HookEnvelope? envelope;
        try
        {
            envelope = HookEnvelopeReader.Read(payload);
        }
        catch (JsonException ex)
        {
            // The message names a JSON path and position, never a value.
            return CaptureOutcome.Failed($"input is not a hook envelope: {Describe(ex)}");
        }
        catch (InvalidOperationException)
        {
            return CaptureOutcome.Failed("input is not a hook envelope: a string is not valid UTF-8");
        }

        if (envelope is null)
        {
            return CaptureOutcome.Failed("input is JSON null, not a hook envelope");
        }

        var extraction = extractor.Extract(envelope);
        if (extraction.IsProblem)
        {
            return CaptureOutcome.Failed(extraction.Reason);
        }

        var enriched = extraction.Git is { } trigger ? git.Apply(extraction.Event, trigger) : new GitResult(extraction.Event, [], null);
        var events = enriched.Commits.Cast<IPeriscopeEvent>().ToList();
        if (enriched.Event is { } value)
        {
            events.Insert(0, value);
        }

        if (events.Count == 0)
        {
            return CaptureOutcome.Ignored(extraction.Reason, enriched.Problem) with { WantsDelivery = extraction.DeliverNow, SessionStarted = extraction.SessionStarted };
        }

        var outcome = Spool(events, enriched.Problem);
        return outcome with { WantsDelivery = outcome.EventIds.Count > 0, SessionStarted = extraction.SessionStarted };
    }

    private CaptureOutcome Spool(List<IPeriscopeEvent> events, string? warning)
    {
        var written = new List<string>();
        var problems = new List<string>();
        foreach (var value in events)
        {
            var invalid = value.Validate();
            if (invalid.Count > 0)
            {
                problems.Add($"{value.Kind} event is invalid: {string.Join("; ", invalid)}");
                continue;
            }

            try
            {
                spool.Write(value);
                written.Add(value.EventId);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add($"cannot write the spool: {FileProblem.Describe(ex)}");
            }
        }

        var detail = string.Join(", ", events.Where(e => written.Contains(e.EventId)).Select(e => $"wrote {e.EventId}.json ({e.Kind})"));
        if (problems.Count > 0)
        {
            return new CaptureOutcome(CaptureStatus.Failed, string.Join("; ", problems.Prepend(detail).Where(p => p.Length > 0)), written, warning);
        }

        return new CaptureOutcome(CaptureStatus.Written, detail, written, warning);
    }

    private static string Describe(JsonException ex)
    {
        var where = ex.Path is { Length: > 0 } path ? $" at {path}" : string.Empty;
        var line = ex.LineNumber is { } l ? $" (line {l + 1}, byte {ex.BytePositionInLine + 1})" : string.Empty;
        return $"malformed or unexpected JSON{where}{line}";
    }
}
