namespace Periscope.Config;

/// <summary>Where spooled events go, as analytics.json says.</summary>
internal abstract record DeliveryTarget
{
    private DeliveryTarget()
    {
    }

    /// <summary>No endpoint configured: events go to the local ledger only.</summary>
    internal sealed record Local : DeliveryTarget;

    /// <summary>An ingest endpoint, checked: https, or http to this machine.</summary>
    /// <param name="CaFile">Extra trusted roots (PEM), from caFile or SSL_CERT_FILE; null for the system's alone.</param>
    internal sealed record Remote(Uri Endpoint, string? CaFile) : DeliveryTarget
    {
        public Uri EventsUri => new(Endpoint, "v1/events");
    }

    /// <summary>The configuration cannot be used; events stay in the spool until it is fixed.</summary>
    internal sealed record Misconfigured(string Problem) : DeliveryTarget;
}
