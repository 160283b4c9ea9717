using System.Text;
using System.Text.Json;

namespace Periscope.Delivery.Otlp;

/// <summary>
/// What an OTLP receiver said: the partial_success of a 200 (how many records it rejected, and
/// why), or the message of a google.rpc.Status error body. Read from protobuf or JSON alike.
/// </summary>
internal readonly record struct OtlpResponse(long Rejected, string? Message)
{
    /// <summary>Reads a response body; an empty or unreadable one says nothing (a full success, for a 200).</summary>
    /// <param name="body">The body.</param>
    /// <param name="json">The body is JSON (the request was, or the Content-Type says so).</param>
    /// <param name="error">An error body (google.rpc.Status: message is field 2) rather than an export response.</param>
    public static OtlpResponse Read(ReadOnlySpan<byte> body, bool json, bool error)
    {
        try
        {
            return json ? FromJson(body, error) : FromProtobuf(body, error);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or ArgumentOutOfRangeException)
        {
            return default;
        }
    }

    private static OtlpResponse FromJson(ReadOnlySpan<byte> body, bool error)
    {
        if (body.Trim(" \t\r\n"u8).IsEmpty)
        {
            return default;
        }

        var reader = new Utf8JsonReader(body);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return default;
        }

        if (error)
        {
            return new OtlpResponse(0, root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString() : null);
        }

        if (!root.TryGetProperty("partialSuccess", out var partial) || partial.ValueKind != JsonValueKind.Object)
        {
            return default;
        }

        long rejected = 0;
        foreach (var name in new[] { "rejectedLogRecords", "rejectedDataPoints" })
        {
            if (partial.TryGetProperty(name, out var count))
            {
                rejected = count.ValueKind == JsonValueKind.String ? long.Parse(count.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : count.GetInt64();
            }
        }

        return new OtlpResponse(rejected, partial.TryGetProperty("errorMessage", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null);
    }

    private static OtlpResponse FromProtobuf(ReadOnlySpan<byte> body, bool error)
    {
        if (error)
        {
            return new OtlpResponse(0, StringField(body, 2));
        }

        var partial = MessageField(body, 1);
        if (partial.IsEmpty)
        {
            return default;
        }

        long rejected = 0;
        string? message = null;
        var position = 0;
        while (position < partial.Length)
        {
            var (field, wire) = Tag(partial, ref position);
            switch (field, wire)
            {
                case (1, 0):
                    rejected = (long)Varint(partial, ref position);
                    break;
                case (2, 2):
                    message = Encoding.UTF8.GetString(Bytes(partial, ref position));
                    break;
                default:
                    Skip(partial, ref position, wire);
                    break;
            }
        }

        return new OtlpResponse(rejected, message);
    }

    private static string? StringField(ReadOnlySpan<byte> message, int wanted)
    {
        var position = 0;
        while (position < message.Length)
        {
            var (field, wire) = Tag(message, ref position);
            if (field == wanted && wire == 2)
            {
                return Encoding.UTF8.GetString(Bytes(message, ref position));
            }

            Skip(message, ref position, wire);
        }

        return null;
    }

    private static ReadOnlySpan<byte> MessageField(ReadOnlySpan<byte> message, int wanted)
    {
        var position = 0;
        while (position < message.Length)
        {
            var (field, wire) = Tag(message, ref position);
            if (field == wanted && wire == 2)
            {
                return Bytes(message, ref position);
            }

            Skip(message, ref position, wire);
        }

        return [];
    }

    private static (int Field, int Wire) Tag(ReadOnlySpan<byte> data, ref int position)
    {
        var tag = Varint(data, ref position);
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    private static ulong Varint(ReadOnlySpan<byte> data, scoped ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length)
            {
                throw new InvalidDataException("truncated varint");
            }

            var b = data[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("varint too long");
    }

    private static ReadOnlySpan<byte> Bytes(ReadOnlySpan<byte> data, scoped ref int position)
    {
        var length = (int)Varint(data, ref position);
        var bytes = data.Slice(position, length);
        position += length;
        return bytes;
    }

    private static void Skip(ReadOnlySpan<byte> data, ref int position, int wire)
    {
        switch (wire)
        {
            case 0:
                Varint(data, ref position);
                break;
            case 1:
                position += 8;
                break;
            case 2:
                Bytes(data, ref position);
                break;
            case 5:
                position += 4;
                break;
            default:
                throw new InvalidDataException($"wire type {wire}");
        }
    }
}
