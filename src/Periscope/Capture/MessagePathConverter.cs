using System.Text.Json;
using System.Text.Json.Serialization;

namespace Periscope.Capture;

/// <summary>
/// Reads <c>info.path</c>: an object {cwd, root} on messages, a string on sessions. Anything but an
/// object reads as absent. (A JsonElement here would cost the hook 0.25M instructions per start.)
/// </summary>
internal sealed class MessagePathConverter : JsonConverter<MessagePath?>
{
    public override bool HandleNull => true;

    public override MessagePath? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? cwd = null, root = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isCwd = reader.ValueTextEquals("cwd"u8);
            var isRoot = !isCwd && reader.ValueTextEquals("root"u8);
            reader.Read();
            if (isCwd && reader.TokenType == JsonTokenType.String)
            {
                cwd = reader.GetString();
            }
            else if (isRoot && reader.TokenType == JsonTokenType.String)
            {
                root = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return new MessagePath { Cwd = cwd, Root = root };
    }

    public override void Write(Utf8JsonWriter writer, MessagePath? value, JsonSerializerOptions options)
        => throw new NotSupportedException("Hook input is read, never written.");
}
