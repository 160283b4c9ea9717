using Microsoft.CodeAnalysis;

namespace Periscope.Generators.Model;

/// <summary>A diagnostic as equatable data; turned into a <see cref="Diagnostic"/> in the output step.</summary>
public sealed record DiagnosticInfo(string Id, LocationInfo? Location, ImmutableEquatableArray<string> MessageArgs)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] messageArgs)
        => new(descriptor.Id, location, messageArgs.ToImmutableEquatableArray());

    public Diagnostic ToDiagnostic()
    {
        var args = new object[MessageArgs.Count];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = MessageArgs[i];
        }

        return Diagnostic.Create(DiagnosticDescriptors.ById(Id), Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, args);
    }
}
