using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Periscope.EndToEnd.Tests;

/// <summary>
/// An OpenAI-compatible model on 127.0.0.1: POST /v1/chat/completions, streamed as server-sent
/// events with a usage chunk. Scripted: a request without tools (OpenCode's title agent) gets
/// <see cref="Title"/>; the first turn with tools calls bash with <see cref="Command"/>; the turn
/// after a tool result answers "done". The tools are called by the names the request offers
/// (OpenCode 2: shell and subagent; OpenCode 1.18: bash and task). Each kind reports its own
/// usage, so each message's tokens can be told apart. With <see cref="Subagent"/> set, the first turn instead hands the work to a
/// sub-agent (the task tool), whose own turns (its prompt starts with "SUBAGENT:") call bash.
/// <see cref="Delay"/> holds each answer back, for a session that runs a while.
/// </summary>
internal sealed class FakeModelServer : IAsyncDisposable
{
    public const string Title = "Commit the work";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _requests = new();

    private FakeModelServer(WebApplication app, string command)
    {
        _app = app;
        Command = command;
    }

    public string Command { get; }

    /// <summary>The first turn starts a sub-agent rather than calling bash itself.</summary>
    public bool Subagent { get; set; }

    /// <summary>How long each answer waits before it starts.</summary>
    public TimeSpan Delay { get; set; }

    public Uri BaseUrl => new(_app.Urls.Single() + "/v1");

    /// <summary>Every request body, as OpenCode sent it.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    public static async Task<FakeModelServer> StartAsync(string command)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeModelServer(app, command);
        app.MapPost("/v1/chat/completions", server.CompleteAsync);
        await app.StartAsync();
        return server;
    }

    private async Task CompleteAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        _requests.Enqueue(body);
        var request = JsonNode.Parse(body)!;
        var hasTools = request["tools"] is JsonArray { Count: > 0 };
        // OpenCode 2 names its tools shell and subagent, OpenCode 1.18 bash and task.
        var offered = (request["tools"] as JsonArray ?? []).Select(t => t?["function"]?["name"]?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        var version2 = offered.Contains("shell");
        var turns = request["messages"]!.AsArray();
        var lastRole = turns.Last()?["role"]?.GetValue<string>();
        var inSubagent = turns.Any(m => m?["role"]?.GetValue<string>() == "user" && m.ToJsonString().Contains("SUBAGENT:", StringComparison.Ordinal));
        await Task.Delay(Delay, context.RequestAborted);

        context.Response.ContentType = "text/event-stream";
        var stream = new Stream(context.Response, request["model"]?.GetValue<string>() ?? "fake-model");
        if (!hasTools)
        {
            await stream.ChunkAsync(new JsonObject { ["role"] = "assistant", ["content"] = Title });
            await stream.FinishAsync("stop", prompt: 300, cached: 0, completion: 5);
        }
        else if (lastRole != "tool" && Subagent && !inSubagent)
        {
            await stream.ToolCallAsync(
                "call_e2e_task",
                version2 ? "subagent" : "task",
                version2
                    ? new() { ["agent"] = "general", ["description"] = "Commit the changes", ["prompt"] = "SUBAGENT: make a commit" }
                    : new() { ["description"] = "Commit the changes", ["prompt"] = "SUBAGENT: make a commit", ["subagent_type"] = "general" });
            await stream.FinishAsync("tool_calls", prompt: 1100, cached: 0, completion: 40);
        }
        else if (lastRole != "tool")
        {
            await stream.ToolCallAsync(
                "call_e2e_1",
                version2 ? "shell" : "bash",
                version2 ? new() { ["command"] = Command } : new() { ["command"] = Command, ["description"] = "Commit the changes" });
            await stream.FinishAsync("tool_calls", prompt: 1200, cached: 800, completion: 50);
        }
        else
        {
            await stream.ChunkAsync(new JsonObject { ["role"] = "assistant", ["content"] = "done" });
            await stream.FinishAsync("stop", prompt: 1500, cached: 1200, completion: 20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class Stream(HttpResponse response, string model)
    {
        private readonly string _id = "chatcmpl-" + Guid.NewGuid().ToString("N");

        /// <summary>A delta that calls one tool with these arguments.</summary>
        public Task ToolCallAsync(string id, string tool, Dictionary<string, string> arguments)
            => ChunkAsync(new JsonObject
            {
                ["role"] = "assistant",
                ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0, ["id"] = id, ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = tool, ["arguments"] = JsonSerializer.Serialize(arguments) },
                }),
            });

        public Task ChunkAsync(JsonObject delta, string? finish = null)
            => WriteAsync(new JsonObject
            {
                ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
            });

        public async Task FinishAsync(string reason, int prompt, int cached, int completion)
        {
            await ChunkAsync([], reason);
            await WriteAsync(new JsonObject
            {
                ["choices"] = new JsonArray(),
                ["usage"] = new JsonObject
                {
                    ["prompt_tokens"] = prompt,
                    ["completion_tokens"] = completion,
                    ["total_tokens"] = prompt + completion,
                    ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = cached },
                },
            });
            await response.WriteAsync("data: [DONE]\n\n");
        }

        private async Task WriteAsync(JsonObject chunk)
        {
            chunk["id"] = _id;
            chunk["object"] = "chat.completion.chunk";
            chunk["created"] = 1;
            chunk["model"] = model;
            await response.WriteAsync($"data: {chunk.ToJsonString()}\n\n");
            await response.Body.FlushAsync();
        }
    }
}
