using System.Text;
using System.Text.Json.Nodes;

namespace Periscope.Tests.Support;

/// <summary>
/// Hook calls recorded from the real OpenCode CLI (Fixtures/opencode), turned into the envelope the
/// plugin shim sends: {"hook","t","directory","worktree","event"} or {"hook","t",...,"input","output"}.
/// </summary>
internal static class HookFixtures
{
    public const string Directory = "/home/dev/src/widgets";

    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "opencode", name);

    public static IReadOnlyList<JsonObject> Recorded(string name = "session-with-commit.hooks.jsonl")
        => File.ReadLines(FixturePath(name)).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    /// <summary>The recorded call as the shim sends it on stdin.</summary>
    public static byte[] AsShimEnvelope(JsonObject recorded)
    {
        var envelope = new JsonObject
        {
            ["hook"] = recorded["hook"]!.GetValue<string>(),
            ["t"] = recorded["t"]!.GetValue<long>(),
            ["directory"] = Directory,
            ["worktree"] = Directory,
        };
        if (recorded["hook"]!.GetValue<string>() == "event")
        {
            envelope["event"] = recorded["input"]!["event"]!.DeepClone();
        }
        else
        {
            envelope["input"] = recorded["input"]?.DeepClone();
            envelope["output"] = recorded["output"]?.DeepClone();
        }

        return Encoding.UTF8.GetBytes(envelope.ToJsonString());
    }

    public static string? EventType(JsonObject recorded) => recorded["input"]?["event"]?["type"]?.GetValue<string>();

    public static JsonObject? Info(JsonObject recorded) => recorded["input"]?["event"]?["properties"]?["info"] as JsonObject;

    /// <summary>The completed assistant messages (message.updated with time.completed), in order.</summary>
    public static IReadOnlyList<JsonObject> CompletedAssistantMessages(string name = "session-with-commit.hooks.jsonl")
        => Recorded(name).Where(r => EventType(r) == "message.updated"
            && Info(r)?["role"]?.GetValue<string>() == "assistant"
            && Info(r)?["time"]?["completed"] is not null).ToList();

    public static JsonObject FirstOf(string eventType, Func<JsonObject, bool>? where = null, string name = "session-with-commit.hooks.jsonl")
        => Recorded(name).First(r => EventType(r) == eventType && (where?.Invoke(r) ?? true));

    public static JsonObject FirstHook(string hook) => Recorded().First(r => r["hook"]!.GetValue<string>() == hook);
}
