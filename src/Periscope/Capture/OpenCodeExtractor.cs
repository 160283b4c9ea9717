using Periscope.Git;
using Periscope.Events;
using Periscope.Platform;

namespace Periscope.Capture;

/// <summary>
/// Turns one OpenCode hook call into at most one event, keeping metadata only. Knows nothing of
/// where the event goes next.
/// </summary>
internal sealed class OpenCodeExtractor(TimeProvider time)
{
    public Extraction Extract(HookEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        switch (envelope.Hook)
        {
            case "tool.execute.before" or "tool.execute.after":
                return FromToolCall(envelope);
            case not "event":
                return Extraction.Ignored($"hook '{Clip(envelope.Hook)}' carries no event to capture");
        }

        var busEvent = envelope.BusEvent;
        return busEvent?.Type switch
        {
            null => Extraction.Rejected("event hook without an event type"),
            "message.updated" => FromMessage(busEvent.Properties?.Info, envelope),
            "session.created" => FromSession(busEvent.Properties?.Info, envelope) with { SessionStarted = true },
            "session.updated" => FromSession(busEvent.Properties?.Info, envelope),
            "session.idle" => FromIdle(busEvent.Properties, envelope) with { DeliverNow = true },
            _ => Extraction.Ignored($"event '{Clip(busEvent.Type)}' is not captured"),
        };
    }

    // Shell calls only (OpenCode 1.18's `bash`, OpenCode 2's `shell`): a commit comes from a shell,
    // and other tools' windows would blur attribution.
    private Extraction FromToolCall(HookEnvelope envelope)
    {
        var input = envelope.Input;
        if (input?.Tool is not ("bash" or "shell"))
        {
            return Extraction.Ignored($"tool '{Clip(input?.Tool)}' is not watched for commits");
        }

        if (string.IsNullOrEmpty(input.SessionId) || string.IsNullOrEmpty(input.CallId))
        {
            return Extraction.Rejected($"{envelope.Hook} without sessionID or callID");
        }

        var kind = envelope.Hook == "tool.execute.before" ? GitTriggerKind.ToolStarted : GitTriggerKind.ToolEnded;
        var at = envelope.Time ?? time.GetUtcNow().ToUnixTimeMilliseconds();
        var what = kind == GitTriggerKind.ToolStarted ? $"{input.Tool} call started" : $"{input.Tool} call ended";
        return Extraction.GitOnly(what, new GitTrigger(kind, input.SessionId, envelope.Directory ?? envelope.Worktree, at, input.CallId));
    }

    private static Extraction FromMessage(EventInfo? info, HookEnvelope envelope)
    {
        if (info is null)
        {
            return Extraction.Rejected("message.updated without info");
        }

        if (info.Role != "assistant")
        {
            return Extraction.Ignored("not an assistant message");
        }

        if (info.Time?.Completed is not { } completed)
        {
            return Extraction.Ignored("assistant message not completed yet");
        }

        if (Missing(("id", info.Id), ("sessionID", info.SessionId), ("modelID", info.ModelId), ("providerID", info.ProviderId)) is { } missing)
        {
            return Extraction.Rejected($"completed assistant message without {missing}");
        }

        var tokens = info.Tokens;
        var directory = info.Path?.Cwd ?? info.Path?.Root ?? envelope.Directory ?? envelope.Worktree;
        var git = new GitTrigger(GitTriggerKind.MessageCompleted, info.SessionId!, directory, envelope.Time ?? completed);
        return Extraction.Captured(
            new AssistantMessageEvent
        {
            EventId = EventIds.For(AssistantMessageEvent.KindName, info.SessionId, info.Id),
            OccurredAt = FromEpochMs(completed),
            Client = ClientInfo.Event,
            MessageId = info.Id!,
            SessionId = info.SessionId!,
            ModelId = info.ModelId!,
            ProviderId = info.ProviderId!,
            Agent = info.Mode ?? info.Agent,
            Tokens = new TokenUsage
            {
                Input = tokens?.Input ?? 0,
                Output = tokens?.Output ?? 0,
                Reasoning = tokens?.Reasoning ?? 0,
                CacheRead = tokens?.Cache?.Read ?? 0,
                CacheWrite = tokens?.Cache?.Write ?? 0,
            },
            CostUsd = info.Cost ?? 0m,
            FinishReason = info.Finish,
            ErrorKind = info.Error?.Name,
            CreatedAt = FromEpochMs(info.Time.Created ?? completed),
            CompletedAt = FromEpochMs(completed),
        },
            git);
    }

    private Extraction FromSession(EventInfo? info, HookEnvelope envelope)
    {
        if (info?.Id is not { Length: > 0 } sessionId)
        {
            return Extraction.Rejected("session event without info.id");
        }

        // One event per (session, title, parent): repeats of the same state overwrite each other.
        var title = Truncate(info.Title, 512);
        var occurred = info.Time?.Updated ?? info.Time?.Created ?? envelope.Time;
        var git = new GitTrigger(GitTriggerKind.Context, sessionId, info.Directory ?? envelope.Directory ?? envelope.Worktree, occurred ?? 0);
        return Extraction.Captured(
            new SessionEvent
        {
            EventId = EventIds.For(SessionEvent.KindName, sessionId, title, info.ParentId),
            OccurredAt = occurred is { } ms ? FromEpochMs(ms) : time.GetUtcNow(),
            Client = ClientInfo.Event,
            SessionId = sessionId,
            Title = title,
            Agent = info.Agent,
            IsSubagent = !string.IsNullOrEmpty(info.ParentId),
            ParentSessionId = string.IsNullOrEmpty(info.ParentId) ? null : info.ParentId,
            ProjectId = info.ProjectId,
            CreatedAt = info.Time?.Created is { } created ? FromEpochMs(created) : null,
        },
            git);
    }

    // OpenCode 1.18's idle carries nothing to keep. OpenCode 2's plugin attaches the session's
    // running totals (session.usage.updated) to it: they count the requests without a step.
    private static Extraction FromIdle(BusEventProperties? properties, HookEnvelope envelope)
    {
        if (properties?.Info is not { Tokens: { } tokens, Cost: { } cost } totals)
        {
            return Extraction.Ignored("session idle: deliver now");
        }

        if ((properties.SessionId ?? totals.SessionId) is not { Length: > 0 } sessionId)
        {
            return Extraction.Rejected("session totals without sessionID");
        }

        var usage = new SessionTokens
        {
            Input = tokens.Input,
            Output = tokens.Output,
            Reasoning = tokens.Reasoning,
            CacheRead = tokens.Cache?.Read ?? 0,
            CacheWrite = tokens.Cache?.Write ?? 0,
        };

        // Totals only grow: the same counts are the same fact, whatever the clock says.
        var id = EventIds.For(SessionUsageEvent.KindName, sessionId, $"{usage.Input}", $"{usage.Output}", $"{usage.Reasoning}", $"{usage.CacheRead}", $"{usage.CacheWrite}");
        var occurred = totals.Time?.Updated ?? envelope.Time ?? 0;
        return Extraction.Captured(new SessionUsageEvent
        {
            EventId = id,
            OccurredAt = FromEpochMs(occurred),
            Client = ClientInfo.Event,
            SessionId = sessionId,
            Tokens = usage,
            CostUsd = cost,
        });
    }

    private static string? Missing(params ReadOnlySpan<(string Name, string? Value)> fields)
    {
        foreach (var (name, value) in fields)
        {
            if (string.IsNullOrEmpty(value))
            {
                return name;
            }
        }

        return null;
    }

    private static DateTimeOffset FromEpochMs(long milliseconds)
        => DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(milliseconds, 0, 253402300799999));

    /// <summary>Cuts free text to at most <paramref name="maxCodePoints"/> code points, never inside a surrogate pair.</summary>
    internal static string? Truncate(string? text, int maxCodePoints)
    {
        if (text is null || EventJsonPrimitives.CodePointLength(text) <= maxCodePoints)
        {
            return text;
        }

        var end = 0;
        for (var count = 0; count < maxCodePoints && end < text.Length; count++)
        {
            end += char.IsHighSurrogate(text[end]) && end + 1 < text.Length && char.IsLowSurrogate(text[end + 1]) ? 2 : 1;
        }

        return text[..end];
    }

    private static string Clip(string? text) => EventJsonPrimitives.Clip(text);
}
