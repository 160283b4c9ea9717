using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Periscope.Delivery.Otlp;

/// <summary>
/// OTLP/HTTP in JSON, as the protocol's JSON mapping asks: lowerCamelCase names, 64-bit integers
/// as decimal strings, enums as numbers.
/// </summary>
internal static class OtlpJson
{
    /// <summary>The batch's ExportLogsServiceRequest in JSON, written into <paramref name="buffer"/> (cleared first).</summary>
    public static ReadOnlyMemory<byte> Logs(OtlpBatch batch, ulong observedUnixNano, ArrayBufferWriter<byte> buffer) => Groups(batch, buffer, "resourceLogs", "scopeLogs", "logRecords", (json, group) =>
    {
        foreach (var record in group.Records)
        {
            json.WriteStartObject();
            json.WriteString("timeUnixNano", record.TimeUnixNano.ToString(CultureInfo.InvariantCulture));
            json.WriteString("observedTimeUnixNano", observedUnixNano.ToString(CultureInfo.InvariantCulture));
            json.WriteNumber("severityNumber", 9);
            json.WriteString("severityText", "INFO");
            json.WriteString("eventName", record.EventName);
            json.WriteStartObject("body");
            json.WriteString("stringValue", record.Body);
            json.WriteEndObject();
            Attributes(json, "attributes", record.Attributes);
            json.WriteEndObject();
        }
    });

    /// <summary>The batch's ExportMetricsServiceRequest in JSON, written into <paramref name="buffer"/> (cleared first).</summary>
    public static ReadOnlyMemory<byte> Metrics(OtlpBatch batch, ArrayBufferWriter<byte> buffer) => Groups(batch, buffer, "resourceMetrics", "scopeMetrics", "metrics", (json, group) =>
    {
        foreach (var metric in group.Metrics.Where(m => m.Points.Count > 0))
        {
            json.WriteStartObject();
            json.WriteString("name", metric.Name);
            json.WriteString("description", metric.Description);
            json.WriteString("unit", metric.Unit);
            json.WriteStartObject("sum");
            json.WriteStartArray("dataPoints");
            foreach (var point in metric.Points)
            {
                json.WriteStartObject();
                json.WriteString("startTimeUnixNano", point.StartUnixNano.ToString(CultureInfo.InvariantCulture));
                json.WriteString("timeUnixNano", point.TimeUnixNano.ToString(CultureInfo.InvariantCulture));
                if (metric.IsDouble)
                {
                    json.WriteNumber("asDouble", point.Amount);
                }
                else
                {
                    json.WriteString("asInt", point.Count.ToString(CultureInfo.InvariantCulture));
                }

                Attributes(json, "attributes", point.Attributes);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("aggregationTemporality", 1);
            json.WriteBoolean("isMonotonic", true);
            json.WriteEndObject();
            json.WriteEndObject();
        }
    });

    // {"resourceX": [{"resource": {...}, "scopeX": [{"scope": {...}, "items": [...]}]}]}, the same shape for both signals.
    private static ReadOnlyMemory<byte> Groups(OtlpBatch batch, ArrayBufferWriter<byte> buffer, string resources, string scopes, string items, Action<Utf8JsonWriter, OtlpBatch.ResourceGroup> write)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Write(buffer, json =>
        {
            json.WriteStartArray(resources);
            foreach (var group in batch.Resources)
            {
                json.WriteStartObject();
                json.WriteStartObject("resource");
                Attributes(json, "attributes", group.Resource);
                json.WriteEndObject();
                json.WriteStartArray(scopes);
                json.WriteStartObject();
                json.WriteStartObject("scope");
                json.WriteString("name", OtlpBatch.ScopeName);
                json.WriteString("version", group.ScopeVersion);
                json.WriteEndObject();
                json.WriteStartArray(items);
                write(json, group);
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });
    }

    private static ReadOnlyMemory<byte> Write(ArrayBufferWriter<byte> buffer, Action<Utf8JsonWriter> body)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    private static void Attributes(Utf8JsonWriter json, string name, OtelAttributes attributes)
    {
        json.WriteStartArray(name);
        foreach (var (key, value) in attributes.Items)
        {
            json.WriteStartObject();
            json.WriteString("key", key);
            json.WriteStartObject("value");
            switch (value)
            {
                case string text:
                    json.WriteString("stringValue", text);
                    break;
                case bool flag:
                    json.WriteBoolean("boolValue", flag);
                    break;
                case long number:
                    json.WriteString("intValue", number.ToString(CultureInfo.InvariantCulture));
                    break;
                case double real:
                    json.WriteNumber("doubleValue", real);
                    break;
                case OtelAttributes.OneOf one:
                    json.WriteStartObject("arrayValue");
                    json.WriteStartArray("values");
                    json.WriteStartObject();
                    json.WriteString("stringValue", one.Value);
                    json.WriteEndObject();
                    json.WriteEndArray();
                    json.WriteEndObject();
                    break;
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
