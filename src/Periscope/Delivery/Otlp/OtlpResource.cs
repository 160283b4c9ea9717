using Periscope.Config;
using Periscope.Events;

namespace Periscope.Delivery.Otlp;

/// <summary>
/// What the resource says beyond each event's client: OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES
/// (key=value pairs, comma-separated, percent-encoded). Nothing that identifies a person is added
/// unless the user puts it there.
/// </summary>
internal sealed record OtlpResource(string? ServiceName, IReadOnlyList<KeyValuePair<string, string>> Extra)
{
    public static OtlpResource None { get; } = new(null, []);

    public static OtlpResource FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var extra = OtlpConfig.ParseHeaders(getVariable("OTEL_RESOURCE_ATTRIBUTES") ?? string.Empty)
            .Select(pair => new KeyValuePair<string, string>(Uri.UnescapeDataString(pair.Key), pair.Value))
            .ToList();
        return new OtlpResource(getVariable("OTEL_SERVICE_NAME") is { Length: > 0 } name ? name : null, extra);
    }

    /// <summary>The resource of events sent by <paramref name="client"/>: its attributes, then the user's, then OTEL_SERVICE_NAME.</summary>
    public OtelAttributes For(Client client)
    {
        var attributes = new OtelAttributes();
        EventOtel.WriteResource(client, attributes);
        foreach (var (key, value) in Extra)
        {
            attributes.Set(key, value);
        }

        if (ServiceName is not null)
        {
            attributes.Set("service.name", ServiceName);
        }

        return attributes;
    }
}
