using System.Text;
using System.Text.Json;

namespace Periscope.Setup;

/// <summary>
/// analytics.json as text: what install writes into a new file, and the "otlp" entry spliced into
/// an existing one, so comments, order and formatting stay as the user left them.
/// </summary>
internal static class AnalyticsFile
{
    /// <summary>A new analytics.json: the ingest endpoint (none: local mode) and the OTLP receiver, when given.</summary>
    public static string Create(string? endpoint, string? otlp)
    {
        var members = new List<string>();
        if (endpoint is not null)
        {
            members.Add($"  \"endpoint\": \"{JsonEncodedText.Encode(endpoint)}\"");
        }

        if (otlp is not null)
        {
            members.Add(OtlpMember(otlp));
        }

        return members.Count == 0 ? "{}\n" : "{\n" + string.Join(",\n", members) + "\n}\n";
    }

    /// <summary>The text with "otlp" added as the root object's last member; null when it has one already.</summary>
    /// <exception cref="JsonException">The text is not a JSON object.</exception>
    public static string? AddOtlp(string text, string otlp)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("analytics.json is not a JSON object");
        }

        // The member goes right after the last value (or the opening brace), so comments, a
        // trailing comma and the closing brace stay where they are.
        var insertAt = reader.BytesConsumed;
        var members = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("otlp"u8))
                {
                    return null;
                }

                members++;
                reader.Read();
                reader.Skip();
                insertAt = reader.BytesConsumed;
            }
        }

        var at = Encoding.UTF8.GetCharCount(bytes.AsSpan(0, (int)insertAt));
        return text[..at] + Inserted(members > 0, otlp) + text[at..];
    }

    /// <summary>The text <see cref="AddOtlp"/> inserts.</summary>
    public static string Inserted(bool afterAnotherMember, string otlp) => (afterAnotherMember ? "," : string.Empty) + "\n" + OtlpMember(otlp);

    private static string OtlpMember(string endpoint) => $"  \"otlp\": {{ \"endpoint\": \"{JsonEncodedText.Encode(endpoint)}\" }}";
}
