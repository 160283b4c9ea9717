namespace Periscope.Delivery.Otlp;

/// <summary>
/// OTLP/HTTP in binary protobuf: ExportLogsServiceRequest and ExportMetricsServiceRequest
/// (opentelemetry-proto v1), written field by field. Field numbers are the proto files'.
/// </summary>
internal static class OtlpProtobuf
{
    private const int SeverityInfo = 9;
    private const int TemporalityDelta = 1;

    /// <summary>The batch's ExportLogsServiceRequest, written into <paramref name="writer"/> (reset first).</summary>
    public static ReadOnlyMemory<byte> Logs(OtlpBatch batch, ulong observedUnixNano, ProtoWriter writer) => Groups(batch, writer, (w, group) =>
    {
        foreach (var record in group.Records)
        {
            var log = w.Begin(2);
            w.Fixed64(1, record.TimeUnixNano);
            w.Varint(2, SeverityInfo);
            w.String(3, "INFO");
            var body = w.Begin(5);
            w.String(1, record.Body);
            w.End(body);
            Attributes(w, 6, record.Attributes);
            w.Fixed64(11, observedUnixNano);
            w.String(12, record.EventName);
            w.End(log);
        }
    });

    /// <summary>The batch's ExportMetricsServiceRequest, written into <paramref name="writer"/> (reset first).</summary>
    public static ReadOnlyMemory<byte> Metrics(OtlpBatch batch, ProtoWriter writer) => Groups(batch, writer, (w, group) =>
    {
        foreach (var metric in group.Metrics.Where(m => m.Points.Count > 0))
        {
            var m = w.Begin(2);
            w.String(1, metric.Name);
            w.String(2, metric.Description);
            w.String(3, metric.Unit);
            var sum = w.Begin(7);
            foreach (var point in metric.Points)
            {
                var p = w.Begin(1);
                w.Fixed64(2, point.StartUnixNano);
                w.Fixed64(3, point.TimeUnixNano);
                if (metric.IsDouble)
                {
                    w.Double(4, point.Amount);
                }
                else
                {
                    w.Fixed64(6, unchecked((ulong)point.Count)); // as_int is sfixed64
                }

                Attributes(w, 7, point.Attributes);
                w.End(p);
            }

            w.Varint(2, TemporalityDelta);
            w.Bool(3, true);
            w.End(sum);
            w.End(m);
        }
    });

    // Resource{Logs,Metrics} (1) { resource (1), Scope{Logs,Metrics} (2) { scope (1), items (2) } }: the same numbers for both signals.
    private static ReadOnlyMemory<byte> Groups(OtlpBatch batch, ProtoWriter w, Action<ProtoWriter, OtlpBatch.ResourceGroup> items)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(w);
        w.Reset();
        foreach (var group in batch.Resources)
        {
            var resourceItems = w.Begin(1);
            var resource = w.Begin(1);
            Attributes(w, 1, group.Resource);
            w.End(resource);
            var scopeItems = w.Begin(2);
            var scope = w.Begin(1);
            w.String(1, OtlpBatch.ScopeName);
            w.String(2, group.ScopeVersion);
            w.End(scope);
            items(w, group);
            w.End(scopeItems);
            w.End(resourceItems);
        }

        return w.WrittenMemory;
    }

    private static void Attributes(ProtoWriter w, int field, OtelAttributes attributes)
    {
        foreach (var (key, value) in attributes.Items)
        {
            var keyValue = w.Begin(field);
            w.String(1, key);
            var any = w.Begin(2);
            Value(w, value);
            w.End(any);
            w.End(keyValue);
        }
    }

    // AnyValue: string 1, bool 2, int 3, double 4, array 5.
    private static void Value(ProtoWriter w, object value)
    {
        switch (value)
        {
            case string text:
                w.String(1, text);
                break;
            case bool flag:
                w.Bool(2, flag);
                break;
            case long number:
                w.Int64(3, number);
                break;
            case double real:
                w.Double(4, real);
                break;
            case OtelAttributes.OneOf one:
                var array = w.Begin(5);
                var item = w.Begin(1);
                w.String(1, one.Value);
                w.End(item);
                w.End(array);
                break;
        }
    }
}
