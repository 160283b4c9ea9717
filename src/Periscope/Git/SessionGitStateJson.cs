using Periscope.Events;
using System.Text.Json;

namespace Periscope.Git;

/// <summary>
/// sessions/&lt;id&gt;.json read and written with Utf8JsonReader and Utf8JsonWriter, as the hook
/// envelope is: the hook reads and writes this file in every git repository, and JsonSerializer's
/// start-up (its metadata and converters) would cost every hook call more than the file does.
/// </summary>
internal static class SessionGitStateJson
{
    public static void Write(Stream stream, SessionGitState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = MinimalJsonEncoder.Instance });
        json.WriteStartObject();
        json.WriteString("git_dir", state.GitDirectory);
        json.WriteNumber("reflog_length", state.ReflogLength);
        json.WriteNumber("reflog_top_offset", state.ReflogTopOffset);
        json.WriteString("reflog_top_sha", state.ReflogTopSha);
        json.WriteNumber("reflog_top_time", state.ReflogTopTime);
        json.WriteStartObject("tool_windows");
        foreach (var (callId, window) in state.ToolWindows)
        {
            json.WriteStartObject(callId);
            WriteNullable(json, "start", window.Start);
            WriteNullable(json, "end", window.End);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>The state in <paramref name="utf8"/>; unknown members are skipped.</summary>
    /// <exception cref="JsonException">The file is not such a state (damaged, or another shape).</exception>
    public static SessionGitState Read(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        Expect(ref reader, JsonTokenType.StartObject);
        var state = new SessionGitState();
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "git_dir":
                    state.GitDirectory = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
                    break;
                case "reflog_length":
                    state.ReflogLength = reader.GetInt64();
                    break;
                case "reflog_top_offset":
                    state.ReflogTopOffset = reader.GetInt64();
                    break;
                case "reflog_top_sha":
                    state.ReflogTopSha = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
                    break;
                case "reflog_top_time":
                    state.ReflogTopTime = reader.GetInt64();
                    break;
                case "tool_windows" when reader.TokenType == JsonTokenType.StartObject:
                    ReadWindows(ref reader, state.ToolWindows);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException("a session state is an object of known members");
        }

        return state;
    }

    private static void ReadWindows(ref Utf8JsonReader reader, Dictionary<string, ToolWindow> windows)
    {
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var callId = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            var window = new ToolWindow();
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                var value = reader.TokenType == JsonTokenType.Null ? (long?)null : reader.GetInt64();
                switch (name)
                {
                    case "start":
                        window.Start = value;
                        break;
                    case "end":
                        window.End = value;
                        break;
                }
            }

            windows[callId] = window;
        }
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
        => reader.Read() ? reader.TokenType : throw new JsonException("the session state ends early");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (Next(ref reader) != type)
        {
            throw new JsonException($"expected {type} in the session state");
        }
    }
}
