using System.Text;
using System.Text.Json.Nodes;
using Periscope.Tests.Support;

namespace Periscope.Tests.Privacy;

/// <summary>
/// A secret in every content-bearing field OpenCode has; after the hook and replay have run, the
/// secret is nowhere on disk. The captured events must still be there, or the test proves nothing.
/// </summary>
public sealed class PrivacyCanaryTests : IDisposable
{
    private const string Secret = "CANARY_7f3a9c_SECRET";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Secret_InEveryContentField_AppearsNowhereInSpoolOrLog()
    {
        var home = _temp.Combine("state");
        var payloads = CanaryPayloads();

        foreach (var payload in payloads)
        {
            var result = PeriscopeBinary.Run(home, Encoding.UTF8.GetBytes(payload.ToJsonString()), "hook", "opencode");
            Assert.Equal(0, result.ExitCode);
        }

        foreach (var malformed in MalformedCanaryPayloads())
        {
            Assert.Equal(0, PeriscopeBinary.Run(home, Encoding.UTF8.GetBytes(malformed), "hook", "opencode").ExitCode);
        }

        var recording = _temp.Combine("canary.jsonl");
        File.WriteAllLines(recording, payloads.Select(p => p.ToJsonString()).Concat(MalformedCanaryPayloads()));
        var replay = PeriscopeBinary.Run(home, null, "replay", recording);
        Assert.Equal(0, replay.ExitCode);

        // The completed message and the session were captured, the malformed lines were logged...
        var spool = StateDirectory.SpoolFiles(home).Select(File.ReadAllText).ToList();
        Assert.Contains(spool, s => s.Contains("\"kind\":\"assistant_message\"", StringComparison.Ordinal));
        Assert.Contains(spool, s => s.Contains("\"kind\":\"session\"", StringComparison.Ordinal));
        Assert.NotEmpty(StateDirectory.LogLines(home));

        // ...and the secret is in none of it, nor in what replay printed.
        Assert.DoesNotContain(Secret, StateDirectory.AllText(home), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, replay.Stdout + replay.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secret_InEveryContentField_NeverReachesAnOtlpReceiver()
    {
        await using var dashboard = await AspireDashboard.StartAsync();
        var home = _temp.Combine("state");
        var environment = new Dictionary<string, string?> { ["PERISCOPE_HOME"] = home, ["OTEL_EXPORTER_OTLP_ENDPOINT"] = dashboard.OtlpEndpoint.ToString() };
        foreach (var payload in CanaryPayloads())
        {
            Assert.Equal(0, PeriscopeBinary.Run(environment, Encoding.UTF8.GetBytes(payload.ToJsonString()), "hook", "opencode").ExitCode);
        }

        var flush = PeriscopeBinary.Run(environment, null, "flush");

        Assert.True(flush.ExitCode == 0, flush.Stdout + flush.Stderr);
        var logs = await dashboard.LogsAsync();
        Assert.Contains(logs, l => l.EventName == "periscope.assistant_message");
        Assert.Contains(logs, l => l.EventName == "periscope.session");
        Assert.DoesNotContain(Secret, await dashboard.EverythingAsync(), StringComparison.Ordinal);
    }

    private static List<JsonObject> CanaryPayloads()
    {
        var payloads = new List<JsonObject>();
        foreach (var recorded in HookFixtures.Recorded().Concat(HookFixtures.Recorded("session-with-subagent.hooks.jsonl")))
        {
            var envelope = JsonNode.Parse(HookFixtures.AsShimEnvelope(recorded))!.AsObject();
            envelope["directory"] = $"/home/{Secret}/src";
            envelope["worktree"] = $"/home/{Secret}/src";
            Poison(envelope);
            payloads.Add(envelope);
        }

        return payloads;
    }

    private static IEnumerable<string> MalformedCanaryPayloads() => new[]
    {
        """{"hook":"event","event":{"type":"message.updated","properties":{"info":{"role":"assistant","tokens":{"input":"SECRET"}}}}}""",
        """{"hook":"event","event":{"type":"message.updated","properties":{"info":{"role":"assistant","time":{"completed":1},"modelID":"SECRET""",
        """{"hook":"event","event":{"type":"session.updated","properties":{"info":{"id":["SECRET"]}}}}""",
        """{"hook":"SECRET"}""",
        """{"hook":"event","event":{"type":"SECRET"}}""",
    }.Select(p => p.Replace("SECRET", Secret, StringComparison.Ordinal));

    /// <summary>Puts the secret into every content-bearing place of the real payload shapes.</summary>
    private static void Poison(JsonObject envelope)
    {
        switch (envelope["hook"]!.GetValue<string>())
        {
            case "tool.execute.before":
                envelope["output"] = new JsonObject { ["args"] = new JsonObject { ["command"] = $"echo {Secret}", ["description"] = Secret } };
                break;
            case "tool.execute.after":
                envelope["input"]!["args"] = new JsonObject { ["command"] = $"echo {Secret}" };
                envelope["output"] = new JsonObject { ["title"] = Secret, ["output"] = Secret, ["metadata"] = new JsonObject { ["output"] = Secret, ["exit"] = 0 } };
                break;
            case "chat.params":
                envelope["input"]!["provider"]!["options"]!["apiKey"] = Secret;
                envelope["output"] = new JsonObject { ["temperature"] = 0, ["options"] = new JsonObject { ["apiKey"] = Secret } };
                break;
            case "chat.message":
                envelope["output"]!["parts"]!.AsArray().Add(new JsonObject { ["type"] = "text", ["text"] = Secret });
                break;
            case "event":
                PoisonEvent(envelope["event"]!.AsObject());
                break;
        }
    }

    private static void PoisonEvent(JsonObject busEvent)
    {
        var properties = busEvent["properties"]!.AsObject();
        if (properties["part"] is JsonObject part)
        {
            part["text"] = Secret;
            part["state"] = new JsonObject { ["input"] = new JsonObject { ["command"] = Secret }, ["output"] = Secret };
        }

        if (properties.ContainsKey("delta"))
        {
            properties["delta"] = Secret;
        }

        if (properties["info"] is not JsonObject info)
        {
            return;
        }

        info["summary"] = new JsonObject { ["title"] = Secret, ["body"] = Secret, ["diffs"] = new JsonArray(new JsonObject { ["file"] = Secret, ["before"] = Secret, ["after"] = Secret }) };
        info["system"] = new JsonArray(Secret);
        info["share"] = new JsonObject { ["url"] = $"https://share.example/{Secret}" };
        info["revert"] = new JsonObject { ["snapshot"] = Secret, ["diff"] = Secret };
        info["directory"] = $"/home/{Secret}/src";
        if (info["path"] is JsonObject)
        {
            info["path"] = new JsonObject { ["cwd"] = $"/home/{Secret}/src", ["root"] = $"/home/{Secret}/src" };
        }

        if (info["role"]?.GetValue<string>() == "assistant")
        {
            info["error"] = new JsonObject { ["name"] = "APIError", ["data"] = new JsonObject { ["message"] = Secret, ["responseBody"] = Secret } };
        }
    }
}
