using System.Text.Json;

namespace Periscope.Capture;

/// <summary>
/// Reads a hook envelope with <see cref="Utf8JsonReader"/>, taking only the metadata members of
/// <see cref="HookEnvelope"/> and skipping everything else unread (tool output, parts, prompts,
/// provider options). Deserializing the same DTOs through JsonSerializer cost the hook 3.5M of its
/// 6M instructions per start (tests/bench/hook-latency.sh), most of it one-time set-up.
/// A value of the wrong type is an error naming its JSON path; null reads as absent.
/// </summary>
internal static class HookEnvelopeReader
{
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 256 };

    /// <summary>The envelope, or null for a JSON null.</summary>
    /// <exception cref="JsonException">Malformed JSON, or a member of the wrong type.</exception>
    public static HookEnvelope? Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, s_options);
        if (!reader.Read() || reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var envelope = ReadEnvelope(ref reader);
        if (reader.Read())
        {
            throw Error(ref reader, "$", "unexpected content after the envelope");
        }

        return envelope;
    }

    /// <summary>
    /// A message's info stored on its own, as OpenCode's database keeps it (without the id and
    /// session id, which are columns there): read like a hook's <c>info</c>, with those two given.
    /// </summary>
    /// <exception cref="JsonException">Malformed JSON, or a member of the wrong type.</exception>
    public static EventInfo ReadInfo(ReadOnlySpan<byte> json, string id, string sessionId, string? role = null)
    {
        var reader = new Utf8JsonReader(json, s_options);
        if (!reader.Read())
        {
            throw Error(ref reader, "$", "empty");
        }

        var info = ReadInfo(ref reader, "$", new EventInfoBuilder { Id = id, SessionId = sessionId, Role = role });
        if (reader.Read())
        {
            throw Error(ref reader, "$", "unexpected content after the object");
        }

        return info;
    }

    private static HookEnvelope ReadEnvelope(ref Utf8JsonReader reader)
    {
        ExpectObject(ref reader, "$");
        string? hook = null, directory = null, worktree = null;
        long? time = null;
        BusEvent? busEvent = null;
        HookInput? input = null;
        while (NextProperty(ref reader, out var name))
        {
            switch (name)
            {
                case "hook": hook = String(ref reader, "$.hook"); break;
                case "t": time = Int64(ref reader, "$.t"); break;
                case "directory": directory = String(ref reader, "$.directory"); break;
                case "worktree": worktree = String(ref reader, "$.worktree"); break;
                case "event": busEvent = IsNull(ref reader) ? null : ReadBusEvent(ref reader, "$.event"); break;
                case "input": input = IsNull(ref reader) ? null : ReadInput(ref reader); break;
                default: reader.Skip(); break;
            }
        }

        return new HookEnvelope { Hook = hook, Time = time, Directory = directory, Worktree = worktree, Event = busEvent, Input = input };
    }

    private static HookInput ReadInput(ref Utf8JsonReader reader)
    {
        ExpectObject(ref reader, "$.input");
        string? tool = null, sessionId = null, callId = null;
        BusEvent? busEvent = null;
        while (NextProperty(ref reader, out var name))
        {
            switch (name)
            {
                case "tool": tool = String(ref reader, "$.input.tool"); break;
                case "sessionID": sessionId = String(ref reader, "$.input.sessionID"); break;
                case "callID": callId = String(ref reader, "$.input.callID"); break;
                case "event": busEvent = IsNull(ref reader) ? null : ReadBusEvent(ref reader, "$.input.event"); break;
                default: reader.Skip(); break;
            }
        }

        return new HookInput { Tool = tool, SessionId = sessionId, CallId = callId, Event = busEvent };
    }

    private static BusEvent ReadBusEvent(ref Utf8JsonReader reader, string path)
    {
        ExpectObject(ref reader, path);
        string? type = null, sessionId = null;
        EventInfo? info = null;
        while (NextProperty(ref reader, out var name))
        {
            if (name == "type")
            {
                type = String(ref reader, path + ".type");
            }
            else if (name == "properties" && !IsNull(ref reader))
            {
                ExpectObject(ref reader, path + ".properties");
                while (NextProperty(ref reader, out var property))
                {
                    switch (property)
                    {
                        case "sessionID": sessionId = String(ref reader, path + ".properties.sessionID"); break;
                        case "info": info = IsNull(ref reader) ? null : ReadInfo(ref reader, path + ".properties.info"); break;
                        default: reader.Skip(); break;
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return new BusEvent { Type = type, Properties = new BusEventProperties { SessionId = sessionId, Info = info } };
    }

    private static EventInfo ReadInfo(ref Utf8JsonReader reader, string path, EventInfoBuilder? info = null)
    {
        ExpectObject(ref reader, path);
        info ??= new EventInfoBuilder();
        while (NextProperty(ref reader, out var name))
        {
            var at = path + "." + name;
            switch (name)
            {
                case "id": info.Id = String(ref reader, at); break;
                case "sessionID": info.SessionId = String(ref reader, at); break;
                case "role": info.Role = String(ref reader, at); break;
                case "mode": info.Mode = String(ref reader, at); break;
                case "agent": info.Agent = String(ref reader, at); break;
                case "modelID": info.ModelId = String(ref reader, at); break;
                case "providerID": info.ProviderId = String(ref reader, at); break;
                case "cost": info.Cost = Decimal(ref reader, at); break;
                case "finish": info.Finish = String(ref reader, at); break;
                case "title": info.Title = String(ref reader, at); break;
                case "parentID": info.ParentId = String(ref reader, at); break;
                case "projectID": info.ProjectId = String(ref reader, at); break;
                case "directory": info.Directory = String(ref reader, at); break;
                case "tokens": info.Tokens = IsNull(ref reader) ? null : ReadTokens(ref reader, at); break;
                case "time": info.Time = IsNull(ref reader) ? null : ReadTimes(ref reader, at); break;
                case "error": info.ErrorName = IsNull(ref reader) ? null : ReadErrorName(ref reader, at); break;
                case "path": info.Path = ReadPath(ref reader); break;
                case "model" when reader.TokenType == JsonTokenType.StartObject: ReadModel(ref reader, at, info); break; // OpenCode 2's stored messages
                default: reader.Skip(); break;
            }
        }

        return info.Build();
    }

    // {id, providerID, variant}: OpenCode 2 names a stored message's model this way.
    private static void ReadModel(ref Utf8JsonReader reader, string path, EventInfoBuilder info)
    {
        while (NextProperty(ref reader, out var name))
        {
            switch (name)
            {
                case "id": info.ModelId = String(ref reader, path + ".id"); break;
                case "providerID": info.ProviderId = String(ref reader, path + ".providerID"); break;
                default: reader.Skip(); break;
            }
        }
    }

    private static TokenCounts ReadTokens(ref Utf8JsonReader reader, string path)
    {
        ExpectObject(ref reader, path);
        long input = 0, output = 0, reasoning = 0, read = 0, write = 0;
        while (NextProperty(ref reader, out var name))
        {
            switch (name)
            {
                case "input": input = Int64(ref reader, path + ".input") ?? 0; break;
                case "output": output = Int64(ref reader, path + ".output") ?? 0; break;
                case "reasoning": reasoning = Int64(ref reader, path + ".reasoning") ?? 0; break;
                case "cache" when !IsNull(ref reader):
                    ExpectObject(ref reader, path + ".cache");
                    while (NextProperty(ref reader, out var kind))
                    {
                        switch (kind)
                        {
                            case "read": read = Int64(ref reader, path + ".cache.read") ?? 0; break;
                            case "write": write = Int64(ref reader, path + ".cache.write") ?? 0; break;
                            default: reader.Skip(); break;
                        }
                    }

                    break;
                default: reader.Skip(); break;
            }
        }

        return new TokenCounts { Input = input, Output = output, Reasoning = reasoning, Cache = new CacheCounts { Read = read, Write = write } };
    }

    private static EventTimes ReadTimes(ref Utf8JsonReader reader, string path)
    {
        ExpectObject(ref reader, path);
        long? created = null, completed = null, updated = null;
        while (NextProperty(ref reader, out var name))
        {
            switch (name)
            {
                case "created": created = Int64(ref reader, path + ".created"); break;
                case "completed": completed = Int64(ref reader, path + ".completed"); break;
                case "updated": updated = Int64(ref reader, path + ".updated"); break;
                default: reader.Skip(); break;
            }
        }

        return new EventTimes { Created = created, Completed = completed, Updated = updated };
    }

    // Only the error's name: its message and data may quote content and are never read.
    private static string? ReadErrorName(ref Utf8JsonReader reader, string path)
    {
        ExpectObject(ref reader, path);
        string? name = null;
        while (NextProperty(ref reader, out var property))
        {
            if (property == "name")
            {
                name = String(ref reader, path + ".name");
            }
            else
            {
                reader.Skip();
            }
        }

        return name;
    }

    // {cwd, root} on messages; sessions carry a string here, read as absent.
    private static MessagePath? ReadPath(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? cwd = null, root = null;
        while (NextProperty(ref reader, out var name))
        {
            switch (name)
            {
                case "cwd" when reader.TokenType == JsonTokenType.String: cwd = reader.GetString(); break;
                case "root" when reader.TokenType == JsonTokenType.String: root = reader.GetString(); break;
                default: reader.Skip(); break;
            }
        }

        return new MessagePath { Cwd = cwd, Root = root };
    }

    // Moves to the next property's value; false at the end of the object. Names are short ASCII.
    private static bool NextProperty(ref Utf8JsonReader reader, out string name)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
        {
            name = string.Empty;
            return false;
        }

        name = reader.GetString()!;
        reader.Read();
        return true;
    }

    private static bool IsNull(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null;

    private static void ExpectObject(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error(ref reader, path, "expected an object");
        }
    }

    private static string? String(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        _ => throw Error(ref reader, path, "expected a string"),
    };

    private static long? Int64(ref Utf8JsonReader reader, string path)
        => reader.TokenType == JsonTokenType.Null ? null
            : reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value
            : throw Error(ref reader, path, "expected an integer");

    private static decimal? Decimal(ref Utf8JsonReader reader, string path)
        => reader.TokenType == JsonTokenType.Null ? null
            : reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var value) ? value
            : throw Error(ref reader, path, "expected a number");

    // The message names the path and position, never the value.
    private static JsonException Error(ref Utf8JsonReader reader, string path, string problem)
        => new($"{problem} at {path}", path, null, reader.TokenStartIndex);

    /// <summary>Collects info members while reading (EventInfo is init-only).</summary>
    private sealed class EventInfoBuilder
    {
        public string? Id, SessionId, Role, Mode, Agent, ModelId, ProviderId, Finish, Title, ParentId, ProjectId, Directory, ErrorName;
        public decimal? Cost;
        public TokenCounts? Tokens;
        public EventTimes? Time;
        public MessagePath? Path;

        public EventInfo Build() => new()
        {
            Id = Id, SessionId = SessionId, Role = Role, Mode = Mode, Agent = Agent, ModelId = ModelId, ProviderId = ProviderId,
            Cost = Cost, Tokens = Tokens, Time = Time, Finish = Finish, Error = ErrorName is null ? null : new MessageError { Name = ErrorName },
            Path = Path, Title = Title, ParentId = ParentId, ProjectId = ProjectId, Directory = Directory,
        };
    }
}
