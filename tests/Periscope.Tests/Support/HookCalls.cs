using System.Text;
using System.Text.Json.Nodes;

namespace Periscope.Tests.Support;

/// <summary>Hook envelopes as the plugin shim sends them, for sessions the tests drive themselves.</summary>
internal static class HookCalls
{
    private static long s_clock = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Now, by OpenCode's clock (strictly increasing across calls).</summary>
    public static long Now() => Math.Max(Interlocked.Increment(ref s_clock), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    public static byte[] SessionCreated(string sessionId, string directory, string? parentId = null) => Bytes(new JsonObject
    {
        ["hook"] = "event",
        ["t"] = Now(),
        ["directory"] = directory,
        ["worktree"] = directory,
        ["event"] = new JsonObject
        {
            ["type"] = "session.created",
            ["properties"] = new JsonObject
            {
                ["sessionID"] = sessionId,
                ["info"] = new JsonObject
                {
                    ["id"] = sessionId,
                    ["title"] = "New session",
                    ["parentID"] = parentId,
                    ["directory"] = directory,
                    ["time"] = new JsonObject { ["created"] = Now(), ["updated"] = Now() },
                },
            },
        },
    });

    public static byte[] MessageCompleted(string sessionId, string messageId, string directory) => Bytes(new JsonObject
    {
        ["hook"] = "event",
        ["t"] = Now(),
        ["directory"] = directory,
        ["worktree"] = directory,
        ["event"] = new JsonObject
        {
            ["type"] = "message.updated",
            ["properties"] = new JsonObject
            {
                ["sessionID"] = sessionId,
                ["info"] = new JsonObject
                {
                    ["id"] = messageId,
                    ["sessionID"] = sessionId,
                    ["role"] = "assistant",
                    ["mode"] = "build",
                    ["modelID"] = "model",
                    ["providerID"] = "provider",
                    ["path"] = new JsonObject { ["cwd"] = directory, ["root"] = directory },
                    ["cost"] = 0.01,
                    ["tokens"] = new JsonObject { ["input"] = 10, ["output"] = 5, ["reasoning"] = 0, ["cache"] = new JsonObject { ["read"] = 0, ["write"] = 0 } },
                    ["time"] = new JsonObject { ["created"] = Now() - 5, ["completed"] = Now() },
                    ["finish"] = "stop",
                },
            },
        },
    });

    public static byte[] ToolBefore(string sessionId, string callId, string directory, long? at = null)
        => Tool("tool.execute.before", sessionId, callId, directory, at);

    public static byte[] ToolAfter(string sessionId, string callId, string directory, long? at = null)
        => Tool("tool.execute.after", sessionId, callId, directory, at);

    private static byte[] Tool(string hook, string sessionId, string callId, string directory, long? at) => Bytes(new JsonObject
    {
        ["hook"] = hook,
        ["t"] = at ?? Now(),
        ["directory"] = directory,
        ["worktree"] = directory,
        ["input"] = new JsonObject { ["tool"] = "bash", ["sessionID"] = sessionId, ["callID"] = callId },
    });

    private static byte[] Bytes(JsonObject value) => Encoding.UTF8.GetBytes(value.ToJsonString());
}
