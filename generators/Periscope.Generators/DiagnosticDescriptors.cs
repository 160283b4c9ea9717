using Microsoft.CodeAnalysis;

namespace Periscope.Generators;

/// <summary>Every diagnostic the generator reports. Ids are listed in AnalyzerReleases.Shipped.md.</summary>
public static class DiagnosticDescriptors
{
    private const string Category = "Periscope.Events";

    public static readonly DiagnosticDescriptor MalformedDefinition = new(
        "PSC0001",
        "Event definition is not valid JSON",
        "Event definition '{0}' is not valid JSON: {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnknownType = new(
        "PSC0002",
        "Unknown field type",
        "Field '{0}' has unknown type '{1}'; use string, int64, decimal, bool, timestamp, or a declared object or enum",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor Duplicate = new(
        "PSC0003",
        "Duplicate name in the event definition",
        "Duplicate {0} '{1}': each {0} must be declared once",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MissingAttribute = new(
        "PSC0004",
        "Missing required attribute",
        "{0} is missing the required attribute '{1}'",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NotMetadata = new(
        "PSC0005",
        "Field is not metadata",
        "Field '{0}' has privacy class '{1}'; Periscope captures metadata only, so every field must be \"privacy\": \"metadata\"",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidAttribute = new(
        "PSC0006",
        "Invalid attribute in the event definition",
        "{0}: {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static DiagnosticDescriptor ById(string id) => id switch
    {
        "PSC0001" => MalformedDefinition,
        "PSC0002" => UnknownType,
        "PSC0003" => Duplicate,
        "PSC0004" => MissingAttribute,
        "PSC0005" => NotMetadata,
        "PSC0006" => InvalidAttribute,
        _ => throw new System.ArgumentOutOfRangeException(nameof(id), id, "no such Periscope diagnostic: a DiagnosticInfo was made with an id this file does not declare"),
    };
}
