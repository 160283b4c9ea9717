using System.Text;
using System.Text.Json;
using Periscope.Capture;
using Periscope.Tests.Support;

namespace Periscope.Tests.Capture;

public sealed class HookEnvelopeReaderTests
{
    [Fact]
    public void EveryRecordedHookCall_IsRead()
    {
        foreach (var file in new[] { "session-with-commit.hooks.jsonl", "session-with-subagent.hooks.jsonl" })
        {
            foreach (var recorded in HookFixtures.Recorded(file))
            {
                var envelope = HookEnvelopeReader.Read(HookFixtures.AsShimEnvelope(recorded))!;
                Assert.Equal(recorded["hook"]!.GetValue<string>(), envelope.Hook);
                Assert.Equal(recorded["t"]!.GetValue<long>(), envelope.Time);
                Assert.Equal(HookFixtures.EventType(recorded), envelope.BusEvent?.Type);
            }
        }
    }

    [Fact]
    public void ToolCall_IdsAreRead_AndItsArgumentsAndOutputAreNot()
    {
        var envelope = HookEnvelopeReader.Read(HookFixtures.AsShimEnvelope(HookFixtures.FirstHook("tool.execute.after")))!;

        Assert.Equal(("bash", "ses_df0f0b331ffeDYh50YSwxf08pI", "call_fake_1"), (envelope.Input!.Tool, envelope.Input.SessionId, envelope.Input.CallId));
        Assert.Equal(HookFixtures.Directory, envelope.Directory);
    }

    [Theory]
    [InlineData("""{"hook":7771}""", "$.hook", "7771")]
    [InlineData("""{"hook":"event","t":"soon"}""", "$.t", "soon")]
    [InlineData("""{"hook":"event","event":{"type":"message.updated","properties":{"info":{"tokens":{"input":4242.5}}}}}""", "$.event.properties.info.tokens.input", "4242")]
    [InlineData("""{"hook":"event","event":{"type":"message.updated","properties":{"info":{"cost":"free"}}}}""", "$.event.properties.info.cost", "free")]
    [InlineData("""{"hook":"event","event":["canary-in-array"]}""", "$.event", "canary")]
    [InlineData("""["canary-at-root"]""", "$", "canary")]
    public void WrongTypes_NameTheirPath_NotTheirValue(string json, string path, string value)
    {
        var error = Assert.Throws<JsonException>(() => HookEnvelopeReader.Read(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(path, error.Path);
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownMembers_AreSkipped_HoweverDeep()
    {
        var deep = string.Concat(Enumerable.Repeat("""{"a":[""", 100)) + "1" + string.Concat(Enumerable.Repeat("]}", 100));
        var json = "{\"output\":" + deep + ",\"hook\":\"event\",\"extra\":[1,{\"x\":null}],\"event\":{\"type\":\"session.idle\",\"properties\":{\"part\":" + deep + "}}}";

        var envelope = HookEnvelopeReader.Read(Encoding.UTF8.GetBytes(json))!;

        Assert.Equal(("event", "session.idle"), (envelope.Hook, envelope.BusEvent!.Type));
    }

    [Fact]
    public void NullsReadAsAbsent()
    {
        var envelope = HookEnvelopeReader.Read("""{"hook":null,"t":null,"event":{"type":"message.updated","properties":{"info":{"tokens":null,"time":null,"path":null,"error":null}}}}"""u8)!;

        Assert.Null(envelope.Hook);
        Assert.Null(envelope.BusEvent!.Properties!.Info!.Tokens);
        Assert.Null(HookEnvelopeReader.Read("null"u8));
    }
}
