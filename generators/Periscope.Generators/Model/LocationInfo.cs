using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Periscope.Generators.Model;

/// <summary>
/// A place in a definition file, kept as plain values: a <see cref="Location"/> in the model would
/// break the generator cache (it holds a syntax tree or compares by reference).
/// </summary>
public readonly record struct LocationInfo(string FilePath, int Start, int Length, int Line, int Column, int EndLine, int EndColumn)
{
    public Location ToLocation()
        => Location.Create(
            FilePath,
            new TextSpan(Start, Length),
            new LinePositionSpan(new LinePosition(Line, Column), new LinePosition(EndLine, EndColumn)));
}
