using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Periscope.Generators.Tests.Diagnostics;

/// <summary>The descriptors: each found by its id, an unknown id a bug rather than a quiet PSC0006, and all of them errors (the binder emits nothing after any).</summary>
public sealed class DiagnosticDescriptorTests
{
    private static readonly DiagnosticDescriptor[] s_all = typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToArray();

    [Fact]
    public void EveryDescriptor_IsFoundByItsId_AndIsAnError()
    {
        Assert.Equal(6, s_all.Length);
        Assert.All(s_all, d => Assert.Same(d, DiagnosticDescriptors.ById(d.Id)));
        Assert.All(s_all, d => Assert.Equal(DiagnosticSeverity.Error, d.DefaultSeverity));
    }

    [Fact]
    public void AnUnknownId_IsABug_NotAQuietPSC0006()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DiagnosticDescriptors.ById("PSC0099"));

        Assert.Contains("PSC0099", error.Message, StringComparison.Ordinal);
    }
}
