using Periscope.Capture;
using Periscope.Events;
using Periscope.Git;
using Periscope.Tests.Support;

namespace Periscope.Tests.Capture;

/// <summary>The extractor in-process, on the real recorded payloads.</summary>
public sealed class OpenCodeExtractorTests
{
    private readonly OpenCodeExtractor _extractor = new(TimeProvider.System);

    [Fact]
    public void CompletedAssistantMessage_KeepsModelTokensAndCost_AsOpenCodeRecordedThem()
    {
        var message = Assert.IsType<AssistantMessageEvent>(Extract(HookFixtures.CompletedAssistantMessages()[0]).Event);

        Assert.Equal("msg_20f0f5270001zgh1Bmt0ceFGzI", message.MessageId);
        Assert.Equal("ses_df0f0b331ffeDYh50YSwxf08pI", message.SessionId);
        Assert.Equal(("fake-model", "fake", "build"), (message.ModelId, message.ProviderId, message.Agent));
        Assert.Equal(new TokenUsage { Input = 400, Output = 33, Reasoning = 7, CacheRead = 800, CacheWrite = 0 }, message.Tokens);
        Assert.Equal(0.00204m, message.CostUsd);
        Assert.Equal("tool-calls", message.FinishReason);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795548993377), message.CompletedAt);
        Assert.Equal(message.CompletedAt, message.OccurredAt);
        Assert.Empty(message.Validate());
    }

    [Fact]
    public void SubAgentSession_IsMarked_WithItsParent()
    {
        var child = HookFixtures.FirstOf(
            "session.created",
            r => HookFixtures.Info(r)?["parentID"] is not null,
            "session-with-subagent.hooks.jsonl");

        var session = Assert.IsType<SessionEvent>(Extract(child).Event);

        Assert.True(session.IsSubagent);
        Assert.Equal(HookFixtures.Info(child)!["parentID"]!.GetValue<string>(), session.ParentSessionId);
        Assert.StartsWith("Commit the changes", session.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void EventIds_AreDeterministic_AndDifferByKindAndSource()
    {
        var messages = HookFixtures.CompletedAssistantMessages();

        var first = Extract(messages[0]).Event!.EventId;

        Assert.Equal(first, Extract(messages[0]).Event!.EventId);
        Assert.NotEqual(first, Extract(messages[1]).Event!.EventId);
        Assert.Matches("^[0-9a-f]{32}$", first);
        Assert.NotEqual(EventIds.For("session", "a", "b"), EventIds.For("session", "ab", ""));
    }

    [Fact]
    public void CompletedAssistantMessage_WithoutModel_IsRejected_NotGuessed()
    {
        var recorded = HookFixtures.CompletedAssistantMessages()[0];
        HookFixtures.Info(recorded)!.Remove("modelID");

        var extraction = Extract(recorded);

        Assert.Null(extraction.Event);
        Assert.True(extraction.IsProblem);
        Assert.Contains("modelID", extraction.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void LongTitle_IsCut_AtACodePointBoundary()
    {
        var title = string.Concat(Enumerable.Repeat("🧀", 600));

        var cut = OpenCodeExtractor.Truncate(title, 512)!;

        Assert.Equal(512, EventJsonPrimitives.CodePointLength(cut));
        Assert.False(char.IsHighSurrogate(cut[^1]));
        Assert.Equal("short", OpenCodeExtractor.Truncate("short", 512));
    }

    [Fact]
    public void AssistantErrorName_IsKept_ButNotItsMessage()
    {
        var recorded = HookFixtures.CompletedAssistantMessages()[0];
        HookFixtures.Info(recorded)!["error"] = System.Text.Json.Nodes.JsonNode.Parse("""{"name":"ProviderAuthError","data":{"message":"key sk-123 rejected"}}""");

        var message = Assert.IsType<AssistantMessageEvent>(Extract(recorded).Event);

        Assert.Equal("ProviderAuthError", message.ErrorKind);
        Assert.DoesNotContain("sk-123", System.Text.Encoding.UTF8.GetString(EventJson.Serialize(message)), StringComparison.Ordinal);
    }

    [Fact]
    public void MessagePath_IsRead_AndASessionsStringPath_IsAbsent()
    {
        var message = Envelope(HookFixtures.CompletedAssistantMessages()[0]);
        var session = Envelope(HookFixtures.FirstOf("session.created"));

        Assert.Equal(("/home/dev/src/widgets", "/home/dev/src/widgets"), (message.BusEvent!.Properties!.Info!.Path!.Cwd, message.BusEvent.Properties.Info.Path.Root));
        Assert.Null(session.BusEvent!.Properties!.Info!.Path);
    }

    [Theory]
    [InlineData("bash")] // OpenCode 1.18
    [InlineData("shell")] // OpenCode 2
    public void ShellToolCalls_OfEitherVersion_OpenAGitWindow_AndOtherToolsDoNot(string tool)
    {
        static HookEnvelope Call(string hook, string tool)
            => HookEnvelopeReader.Read(System.Text.Encoding.UTF8.GetBytes(
                $$$"""{"hook":"{{{hook}}}","t":1796621351057,"directory":"/repos/a","worktree":"/repos/a","input":{"tool":"{{{tool}}}","sessionID":"ses_1","callID":"call_fake_1"}}"""))!;

        var before = _extractor.Extract(Call("tool.execute.before", tool));
        var after = _extractor.Extract(Call("tool.execute.after", tool));
        var other = _extractor.Extract(Call("tool.execute.before", "subagent"));

        Assert.Equal((GitTriggerKind.ToolStarted, "ses_1", "call_fake_1", "/repos/a"), (before.Git!.Kind, before.Git.SessionId, before.Git.CallId, before.Git.Directory));
        Assert.Equal(GitTriggerKind.ToolEnded, after.Git!.Kind);
        Assert.Null(other.Git);
        Assert.False(other.IsProblem);
    }

    [Fact]
    public void IdleWithSessionTotals_IsASessionUsageEvent_NamedByItsCounts_AndStartsDelivery()
    {
        // What OpenCode 2's plugin sends when an execution ends: the last session.usage.updated of
        // the recorded commit session, which counts the title request as well as both steps.
        static HookEnvelope Idle(string totals)
            => HookEnvelopeReader.Read(System.Text.Encoding.UTF8.GetBytes(
                """{"hook":"event","t":1796621351500,"directory":"/repos/a","event":{"type":"session.idle","properties":{"sessionID":"ses_1" """.TrimEnd() + totals + "}}}"))!;
        const string Totals = ""","info":{"sessionID":"ses_1","cost":0.010709999999999999,"tokens":{"input":3000,"output":102,"reasoning":0,"cache":{"read":600,"write":0}},"time":{"updated":1796621351408}}""";

        var idle = _extractor.Extract(Idle(Totals));
        var usage = Assert.IsType<SessionUsageEvent>(idle.Event);
        var plain = _extractor.Extract(Idle(string.Empty));

        Assert.True(idle.DeliverNow);
        Assert.Equal(("ses_1", 0.010709999999999999m), (usage.SessionId, usage.CostUsd));
        Assert.Equal(new SessionTokens { Input = 3000, Output = 102, Reasoning = 0, CacheRead = 600, CacheWrite = 0 }, usage.Tokens);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1796621351408), usage.OccurredAt);
        Assert.Empty(usage.Validate());
        Assert.Equal(usage.EventId, _extractor.Extract(Idle(Totals.Replace("0.010709999999999999", "0.01071", StringComparison.Ordinal))).Event!.EventId);
        Assert.NotEqual(usage.EventId, _extractor.Extract(Idle(Totals.Replace("3000", "3001", StringComparison.Ordinal))).Event!.EventId);
        Assert.Null(plain.Event);
        Assert.True(plain.DeliverNow);
        Assert.False(plain.IsProblem);
    }

    private static HookEnvelope Envelope(System.Text.Json.Nodes.JsonObject recorded)
        => HookEnvelopeReader.Read(HookFixtures.AsShimEnvelope(recorded))!;

    private Extraction Extract(System.Text.Json.Nodes.JsonObject recorded)
        => _extractor.Extract(HookEnvelopeReader.Read(HookFixtures.AsShimEnvelope(recorded))!);
}
