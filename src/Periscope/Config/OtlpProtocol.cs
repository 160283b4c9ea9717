namespace Periscope.Config;

/// <summary>OTLP over HTTP: binary protobuf (the default) or JSON.</summary>
internal enum OtlpProtocol
{
    /// <summary>http/protobuf: application/x-protobuf.</summary>
    Protobuf,

    /// <summary>http/json: application/json.</summary>
    Json,
}
