using System.Text.Json.Serialization;

namespace Periscope.Capture;

/// <summary>Source-generated metadata for the hook input: no reflection at run time.</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(HookEnvelope))]
internal sealed partial class OpenCodeJsonContext : JsonSerializerContext;
